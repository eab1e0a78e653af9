import ArgumentParser
import ShareCredentials

/// The organizations the share-token commands can act as (`as ORG`, `--as ORG`), and their API
/// keys: on the embedded sandbox, the organizations it is seeded with (the demo lender and the
/// demo bank, whose keys are public demo values); on any other target, the organization whose key
/// is in the environment as `SHARE_API_KEY_<ORG>` (`org_demo-bank` is
/// `SHARE_API_KEY_ORG_DEMO_BANK`). Without `as`, commands act as `SHARE_API_KEY`'s organization
/// (on the embedded sandbox, the demo lender's).
struct ShellOrganizations: Sendable {
    /// Organizations known by id, in the order they are listed.
    var known: [(id: String, apiKey: APIKey)]
    /// The environment to read `SHARE_API_KEY_<ORG>` from.
    var environment: [String: String]

    init(known: [(id: String, apiKey: APIKey)] = [], environment: [String: String] = [:]) {
        self.known = known
        self.environment = environment
    }

    /// The variable that holds `organization`'s API key: `SHARE_API_KEY_` and the id in upper
    /// case, with every character other than a letter or a digit as `_`.
    static func environmentName(of organization: String) -> String {
        "SHARE_API_KEY_" + String(organization.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// The API key to act as `organization` with, or a usage error naming the organizations known
    /// and the variable to set.
    func apiKey(for organization: String) throws -> APIKey {
        if let entry = known.first(where: { $0.id == organization }) { return entry.apiKey }
        let name = Self.environmentName(of: organization)
        if let value = environment[name], !value.isEmpty { return APIKey(value) }
        let listed = known.isEmpty ? "" : "known here: \(known.map(\.id).joined(separator: ", ")); "
        throw ValidationError("no API key for organization \"\(organization)\": \(listed)set \(name) to act as it")
    }

    /// Organizations listed for `as` alone: the known ones, then those with a key in the environment
    /// (by variable, since the variable's name does not give the id back exactly).
    var listing: [String] {
        known.map(\.id) + environment.keys.filter { $0.hasPrefix("SHARE_API_KEY_") }.sorted().map { "$\($0)" }
    }
}
