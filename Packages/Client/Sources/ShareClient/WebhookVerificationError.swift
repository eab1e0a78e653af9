/// Why a webhook delivery was not accepted. Never holds a secret or a signature.
public struct WebhookVerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The verifier was given no secret.
        public static let noSecret = Code("no webhook secret configured")
        /// The request has no `Persona-Signature` header.
        public static let missingHeader = Code("no Persona-Signature header")
        /// The header lacks `t=` or a `v1=` signature in hex.
        public static let malformedHeader = Code("the Persona-Signature header is not t=<seconds>,v1=<hex>")
        /// The timestamp is too old (or too far in the future).
        public static let timestampOutsideTolerance = Code("the signature's timestamp is outside the tolerance")
        /// No signature matches the body under any secret.
        public static let signatureMismatch = Code("no signature matches the body")

        public var description: String { name }
    }

    public let code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String { "webhook verification failed: \(code)" }
}
