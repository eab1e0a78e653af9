import Foundation

/// The two body encodings the API accepts.
enum BodyFormat {
    case json
    case form

    /// From a `Content-Type` value, parameters ignored; `nil` for anything else (or none).
    init?(contentType: String?) {
        guard let contentType else { return nil }
        // What clients send almost always, compared without building a new string.
        switch contentType {
        case "application/json", "application/json; charset=utf-8", "application/json;charset=utf-8":
            self = .json
            return
        case "application/x-www-form-urlencoded":
            self = .form
            return
        default:
            break
        }
        let mediaType = contentType.prefix(while: { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
        switch mediaType {
        case "application/json": self = .json
        case "application/x-www-form-urlencoded": self = .form
        default:
            if mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json") {
                self = .json
            } else {
                return nil
            }
        }
    }
}
