import NIOCore

/// A request body after the gateway removed every client-supplied credential field, with the
/// few top-level fields its policies read.
struct InspectedBody: Sendable {
    /// The body to forward: the original buffer when nothing was removed.
    var body: ByteBuffer
    /// Whether a credential field was removed.
    var removedCredentials: Bool = false
    /// The top-level `grant_type`, decoded.
    var grantType: String?
    /// The top-level `audience`, decoded.
    var audience: String?

    /// Top-level fields that carry a credential; always removed.
    static let credentialFields: [String] = ["client_id", "secret", "client_secret"]
    /// Top-level fields a policy reads; a body naming one of them twice is refused, because the
    /// gateway and the upstream could disagree on which one counts.
    static let policyFields: [String] = ["grant_type", "audience", "subject_token_type"]

    /// Records a policy field's value, refusing a second occurrence.
    mutating func capture(key: String, value: String?) throws(BodyInspectionError) {
        switch key {
        case "grant_type":
            guard grantType == nil else { throw .duplicateField(key) }
            grantType = value ?? ""
        case "audience":
            guard audience == nil else { throw .duplicateField(key) }
            audience = value ?? ""
        default:
            break
        }
    }
}

/// Why a request body could not be inspected; answered 400 `invalid_request`. Never quotes the body.
enum BodyInspectionError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidJSON(offset: Int)
    case notAnObject
    case tooDeep
    case invalidForm
    case duplicateField(String)
    case nonStringField(String)

    var description: String {
        switch self {
        case .invalidJSON(let offset): "the JSON body is malformed (at byte \(offset))"
        case .notAnObject: "the JSON body must be an object"
        case .tooDeep: "the JSON body is nested too deeply"
        case .invalidForm: "the form body contains a malformed percent-escape"
        case .duplicateField(let name): "the body names \(name) more than once"
        case .nonStringField(let name): "\(name) must be a string"
        }
    }
}
