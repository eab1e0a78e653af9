import NIOCore

/// A request body after the gateway removed every client-supplied credential field, with the
/// few top-level fields its policies read. The credential fields are ``CredentialField``'s.
public struct InspectedBody: Sendable {
    /// The body to forward: the original buffer when nothing was removed.
    public var body: ByteBuffer
    /// Whether a credential field was removed.
    public var removedCredentials: Bool = false
    /// The top-level `grant_type`, decoded.
    public var grantType: String?
    /// The top-level `audience`, decoded.
    public var audience: String?

    /// The body as received, nothing removed yet.
    public init(body: ByteBuffer) {
        self.body = body
    }

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
