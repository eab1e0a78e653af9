/// How ShareKit prints a secret or token anywhere a person or a log might read it.
///
/// Every `description`, `debugDescription`, log line and error message goes through these, so a
/// token never appears whole. The forms keep just enough to tell values apart in a support ticket.
public enum Redaction {
    /// The marker printed in place of a secret.
    public static let marker = "<redacted>"

    /// A secret (client secret, API key): never any of its characters.
    public static func secret(_ value: String?) -> String {
        value == nil ? "nil" : marker
    }

    /// A token: its type prefix (`pda-`, `pdr-`, `usr_`…) only, e.g. `pda-<redacted>`.
    public static func token(_ value: String?) -> String {
        guard let value else { return "nil" }
        if let dash = value.firstIndex(where: { $0 == "-" || $0 == "_" }),
            value.distance(from: value.startIndex, to: dash) <= 4
        {
            return String(value[...dash]) + marker
        }
        return marker
    }

    /// A token shortened for display in a table, e.g. `pda-RDdg…hA==`. Shows 8 + 4 characters
    /// of a token of at least 24; shorter values are fully hidden. Meant for the person who holds
    /// the token, on their own terminal; logs use ``token(_:)``.
    public static func truncated(_ value: String) -> String {
        guard value.count >= 24 else { return token(value) }
        return "\(value.prefix(8))…\(value.suffix(4))"
    }
}
