/// Why credentials could not be found, read, placed or parsed.
///
/// Its description names files, variables and fields, never a value.
public struct CredentialsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable name.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }

        /// No provider had the credentials; ``CredentialsError/placesLooked`` says where each looked.
        public static let missing = Code("missing")
        /// A source had part of the credentials (a client id without a secret, or the reverse).
        public static let incomplete = Code("incomplete")
        /// A credentials file can be read by its group or by others.
        public static let insecureFile = Code("insecure_file")
        /// A credentials file exists but could not be read or parsed.
        public static let unreadableFile = Code("unreadable_file")
        /// A placement cannot carry this kind of credential, or the request's body cannot hold it.
        public static let unsupportedPlacement = Code("unsupported_placement")
        /// An `Authorization: Basic` value is malformed.
        public static let malformedAuthorization = Code("malformed_authorization")

        public var description: String { name }
    }

    public var code: Code
    /// A sentence for people; never holds a secret.
    public var message: String
    /// Every place that was searched, for ``Code/missing``.
    public var placesLooked: [String]

    public init(_ code: Code, _ message: String, placesLooked: [String] = []) {
        self.code = code
        self.message = message
        self.placesLooked = placesLooked
    }

    public var description: String {
        placesLooked.isEmpty ? message : message + "; looked in: " + placesLooked.joined(separator: "; ")
    }
}
