/// The keys frontends present in `X-Gateway-Key`. With none configured, no key is required.
///
/// Comparison is constant-time in the keys' contents: every configured key is compared in full
/// against the presented value, whatever matched earlier, so timing reveals neither which key
/// matched nor how many leading bytes were right. Hand-written because swift-crypto's
/// constant-time helpers are internal to it.
public struct FrontendKeys: Sendable {
    private let keys: [[UInt8]]

    /// Keys must be at least 16 characters; shorter ones are refused by the configuration.
    public init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    /// Whether any key is configured.
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether `presented` equals one of the keys.
    public func accepts(_ presented: String?) -> Bool {
        guard let presented, !keys.isEmpty else { return false }
        var matched: UInt8 = 0
        var presentedText = presented
        presentedText.withUTF8 { bytes in
            for key in keys {
                var difference = UInt(bitPattern: key.count ^ bytes.count) == 0 ? UInt8(0) : UInt8(1)
                for index in 0..<key.count {
                    let other = index < bytes.count ? bytes[index] : 0
                    difference |= key[index] ^ other
                }
                matched |= difference == 0 ? 1 : 0
            }
        }
        return matched == 1
    }
}
