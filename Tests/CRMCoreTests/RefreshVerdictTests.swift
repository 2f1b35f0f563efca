import CRMCore
import Foundation
import Testing

/// The refresh-token rules, a pure function: which presented token rotates, and which revokes its family.
@Suite("Refresh token verdicts")
struct RefreshVerdictTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let userId = UUID()

    func token(epoch: Int = 3, expiresIn: TimeInterval = 3600, used: Bool = false, revoked: Bool = false) -> StoredRefreshToken {
        StoredRefreshToken(
            id: UUID(), userId: userId, familyId: UUID(), sessionEpoch: epoch, issuedAt: now - 60, expiresAt: now + expiresIn,
            usedAt: used ? now - 10 : nil, revokedAt: revoked ? now - 5 : nil)
    }

    func user(epoch: Int = 3, disabled: Bool = false, id: UUID? = nil) -> SessionUser {
        SessionUser(
            user: User(id: id ?? userId, unitId: UUID(), email: "ana@example.com", name: nil, role: .agent,
                       disabledAt: disabled ? now - 1 : nil, createdAt: now - 86_400, updatedAt: now - 1),
            sessionEpoch: epoch)
    }

    @Test func aLiveTokenRotates() {
        #expect(RefreshVerdict.of(token(), user: user(), now: now) == .rotate)
    }

    @Test func aSpentTokenIsReuseAndRevokesItsFamilyEvenAfterItExpired() {
        #expect(RefreshVerdict.of(token(used: true), user: user(), now: now) == .reused)
        #expect(RefreshVerdict.of(token(expiresIn: -60, used: true), user: user(), now: now) == .reused)
        #expect(RefreshVerdict.reused.revokesFamily)
    }

    @Test func aRevokedTokenStaysRevokedWithoutRevokingAgain() {
        #expect(RefreshVerdict.of(token(used: true, revoked: true), user: user(), now: now) == .revoked)
        #expect(!RefreshVerdict.revoked.revokesFamily)
    }

    @Test func aChangedOrDisabledUserEndsTheSession() {
        #expect(RefreshVerdict.of(token(epoch: 3), user: user(epoch: 4), now: now) == .sessionEnded)
        #expect(RefreshVerdict.of(token(), user: user(disabled: true), now: now) == .sessionEnded)
        #expect(RefreshVerdict.sessionEnded.revokesFamily)
    }

    @Test func expiryAtTheInstantCounts() {
        #expect(RefreshVerdict.of(token(expiresIn: 0), user: user(), now: now) == .expired)
        #expect(RefreshVerdict.of(token(expiresIn: 0.001), user: user(), now: now) == .rotate)
        #expect(!RefreshVerdict.expired.revokesFamily)
    }

    @Test func unknownTokensAndUsers() {
        #expect(RefreshVerdict.of(nil, user: user(), now: now) == .unknown)
        #expect(RefreshVerdict.of(token(), user: nil, now: now) == .unknown)
        #expect(RefreshVerdict.of(token(), user: user(id: UUID()), now: now) == .unknown)
    }
}
