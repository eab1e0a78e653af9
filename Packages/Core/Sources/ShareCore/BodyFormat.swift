import Foundation

/// The two body encodings the API accepts.
public enum BodyFormat {
    case json
    case form

    /// From a request head's `Content-Type`: the two spellings clients send almost always are
    /// recognised on the bytes, anything else through ``init(contentType:)``.
    public init?(contentTypeOf head: HTTPMessageHead) {
        if head.count(of: "content-type") == 1, let index = head.firstIndex(of: "content-type") {
            let field = head.fields[index]
            let known: BodyFormat? = head.withUnsafeBytes { raw in
                let value = HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd)
                if value.elementsEqual("application/json".utf8) { return .json }
                if value.elementsEqual("application/x-www-form-urlencoded".utf8) { return .form }
                return nil
            }
            if let known {
                self = known
                return
            }
        }
        self.init(contentType: head.value("content-type"))
    }

    /// From a `Content-Type` value, parameters ignored; `nil` for anything else (or none).
    public init?(contentType: String?) {
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
