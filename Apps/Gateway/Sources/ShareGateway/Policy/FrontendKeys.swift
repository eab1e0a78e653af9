import ShareCredentials

/// The keys frontends present in `X-Gateway-Key`. With none configured, no key is required.
///
/// Comparison is constant-time in the keys' contents: every configured key is compared in full
/// against the presented value, whatever matched earlier, so timing reveals neither which key
/// matched nor how many leading bytes were right (each comparison is ShareCredentials'
/// ``Secret/constantTimeEquals(_:_:)``).
public struct FrontendKeys: Sendable {
    private let keys: [String]

    /// Keys must be at least 16 characters; shorter ones are refused by the configuration.
    public init(_ keys: [String]) {
        self.keys = keys
    }

    /// Whether any key is configured.
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether `presented` equals one of the keys.
    public func accepts(_ presented: String?) -> Bool {
        guard let presented, !keys.isEmpty else { return false }
        var matched: UInt8 = 0
        for key in keys {
            matched |= Secret.constantTimeEquals(key, presented) ? 1 : 0
        }
        return matched == 1
    }
}
