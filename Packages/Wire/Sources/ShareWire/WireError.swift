/// Why a body could not be encoded or decoded, said without the body's values.
///
/// A `WireError` names the field (``codingPath``) and describes what was expected and what kind of
/// thing was found — "expected an integer, found a string" — but never echoes the input, because
/// the input may be a client secret or a token.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field the problem is in, outermost first, e.g. `["data", "attributes", "expires-in-seconds"]`.
    /// Array positions appear as decimal indices (`["scopes", "0"]`). Empty for the body as a whole.
    public var codingPath: [String]
    /// What is wrong, e.g. "expected an integer, found a string".
    public var reason: String

    /// A problem with the field at `codingPath`.
    public init(codingPath: [String] = [], reason: String) {
        self.codingPath = codingPath
        self.reason = reason
    }

    /// The field path in dotted form with array indices in brackets, e.g. `data.attributes.expires-in-seconds`
    /// or `items[2].name`; empty for the body as a whole.
    public var field: String {
        var text = ""
        for component in codingPath {
            if !component.isEmpty, component.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                text += "[" + component + "]"
            } else {
                if !text.isEmpty { text += "." }
                text += component
            }
        }
        return text
    }

    /// `field: reason`, or just the reason for the body as a whole.
    public var description: String {
        let field = self.field
        return field.isEmpty ? reason : field + ": " + reason
    }
}
