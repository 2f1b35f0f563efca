import Foundation
import Logging

extension CampaignDispatcher {
    /// Waits for the wave's slot (plus its jitter), commits the attempts (unless they were with the
    /// claim), calls the provider for each recipient at once (with a permit each), and records the
    /// outcomes. Stopped before the attempts are committed, the wave gives its recipients back untouched.
    func send(
        _ wave: Wave, after jitter: TimeInterval, permits: ProviderCallPermits, halt: HaltFlag, isStopping: @escaping @Sendable () -> Bool
    ) async {
        let messages: [UUID: Message]
        if let started = wave.started {
            // Committed with the claim: sent whatever happens next, like a wave already at the provider.
            messages = started
        } else {
            let start = wave.slot.addingTimeInterval(jitter)
            while now() < start && !halt.isSet && !isStopping() {
                try? await Task.sleep(for: .milliseconds(Int(min(100, max(1, start.timeIntervalSince(now()) * 1000)))))
            }
            let ids = wave.recipients.map(\.id)
            guard !halt.isSet && !isStopping() else {
                try? await store.releaseRecipients(ids: ids, owner: wave.claim, at: now())
                return
            }
            do {
                messages = try await store.startAttempts(wave.recipients, provider: connection.provider, owner: wave.claim, at: now())
            } catch {
                // Not committed: nothing was started, so the recipients go back as they were.
                logger.error("campaign dispatch: attempts not recorded", metadata: ["error": "\(error)"])
                try? await store.releaseRecipients(ids: ids, owner: wave.claim, at: now())
                return
            }
        }
        let calls = wave.recipients.filter { messages[$0.id] != nil }.count
        await permits.acquire(calls)
        let outcomes = await withTaskGroup(of: RecipientOutcome.self) { group in
            for recipient in wave.recipients {
                guard let message = messages[recipient.id] else { continue }
                group.addTask { await deliver(recipient, message) }
            }
            var outcomes: [RecipientOutcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        permits.release(calls)
        await record(outcomes, halt: halt)
    }

    /// One provider call for a recipient whose attempt is committed.
    func deliver(_ recipient: ClaimedRecipient, _ message: Message) async -> RecipientOutcome {
        let attempts = recipient.attempt + 1
        func outcome(_ result: RecipientOutcome.Result) -> RecipientOutcome {
            RecipientOutcome(recipientId: recipient.id, messageId: message.id, attempts: min(attempts, OutboundDelivery.maxAttempts),
                             result: result, at: now())
        }
        guard attempts <= OutboundDelivery.maxAttempts else {
            return outcome(.failed(code: nil, error: "No attempt left after \(recipient.attempt) provider calls."))
        }
        do {
            let externalId = try await provider.deliver(message, to: recipient.phone, instance: connection.instanceName)
            return outcome(.sent(externalId: externalId))
        } catch let error as ProviderError {
            // A timeout or a garbled answer may hide an accepted message: retrying could send it twice.
            if error.reason == .timeout || error.reason == .invalidResponse {
                return outcome(.uncertain(error: error.message))
            }
            if error.isRetryable && attempts < OutboundDelivery.maxAttempts {
                return outcome(.retry(nextAttemptAt: now().addingTimeInterval(backoff(attempts).seconds), error: error.message))
            }
            return outcome(.failed(code: error.status.map(String.init), error: error.message))
        } catch {
            return outcome(.uncertain(error: "The call to the provider (\(connection.provider.rawValue)) did not complete."))
        }
    }

    /// Records the outcomes, trying again while the database is down: until they are recorded the
    /// recipients stay claimed with their attempt started, and would end uncertain.
    private func record(_ outcomes: [RecipientOutcome], halt: HaltFlag) async {
        var tries = 0
        while true {
            do {
                try await store.recordRecipientOutcomes(outcomes)
                return
            } catch {
                tries += 1
                logger.error("campaign dispatch: outcomes not recorded", metadata: ["error": "\(error)", "try": "\(tries)"])
                if halt.isSet && tries >= 3 { return }
                try? await Task.sleep(for: configuration.errorPause)
            }
        }
    }
}
