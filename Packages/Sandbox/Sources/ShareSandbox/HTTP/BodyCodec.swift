import Foundation
import HTTPTypes
import Hummingbird

/// Decodes request bodies in the two formats the API accepts.
enum BodyCodec {
    enum Format: Sendable {
        case json
        case form

        /// The format named by a `Content-Type` value (parameters such as `charset` ignored), or `nil`.
        init?(contentType: String) {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            switch mediaType {
            case "application/json": self = .json
            case "application/x-www-form-urlencoded": self = .form
            default: return nil
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], format: Format) throws -> T {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw OAuthFailure.invalidRequest("the request body is not valid UTF-8")
        }
        do {
            switch format {
            case .json:
                return try JSONDecoder().decode(type, from: Data(text.utf8))
            case .form:
                return try URLEncodedFormDecoder().decode(type, from: text)
            }
        } catch let error as DecodingError {
            throw OAuthFailure.invalidRequest(explanation(of: error, format: format))
        } catch {
            throw OAuthFailure.invalidRequest("the request body is not a valid \(format == .json ? "JSON object" : "form")")
        }
    }

    /// A message naming the field and the problem, never the value (it may be a secret).
    private static func explanation(of error: DecodingError, format: Format) -> String {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = (codingPath + (last.map { [$0] } ?? [])).map(\.stringValue)
            return keys.isEmpty ? "the body" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)) is required"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) must not be null"
        case .typeMismatch(let expected, let context):
            let what = expected == String.self ? "a string" : expected == Bool.self ? "a boolean" : "a value of another type"
            return "\(path(context.codingPath)) must be \(context.codingPath.isEmpty ? "an object" : what)"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return format == .json ? "the request body is not valid JSON" : "the request body is not a valid form"
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the request body could not be read"
        }
    }
}
