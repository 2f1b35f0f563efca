/// The version `crm --version` prints. Bumped by the release process.
enum CRMVersion {
    static let current = "0.1.0"
}
