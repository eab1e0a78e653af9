/// The casing of the keys of the share-token API's JSON, chosen per request with the
/// `Key-Inflection` header (Persona, https://docs.withpersona.com/api-key-inflection): `kebab`
/// (the default, `created-at`), `camel` (`createdAt`) or `snake` (`created_at`).
///
/// Requests are accepted in any of the three casings whatever the header says; answers use the
/// requested one. Only keys change: values, ids and types never do.
public enum KeyInflection: String, CaseIterable, Hashable, Sendable {
    case kebab
    case camel
    case snake

    /// The request header that selects the inflection.
    public static let headerName = "Key-Inflection"

    /// `key`, written in kebab case (as the API stores and routes it), in this inflection.
    public func inflect(kebab key: String) -> String {
        switch self {
        case .kebab:
            return key
        case .snake:
            return key.replacingOccurrences(of: "-", with: "_")
        case .camel:
            var result = ""
            var upperNext = false
            for character in key {
                if character == "-" {
                    upperNext = !result.isEmpty
                    continue
                }
                result += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
            return result
        }
    }

    /// `key`, written in any of the three casings, in kebab case: `connectionId` and
    /// `connection_id` become `connection-id`.
    public static func kebab(_ key: String) -> String {
        var result = ""
        for character in key {
            if character == "_" {
                result += "-"
            } else if character.isUppercase {
                if !result.isEmpty && result.last != "-" { result += "-" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
