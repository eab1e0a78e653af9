/// How long a share token lives before it expires: between 1 minute and 21 days, 14 days when
/// not given (`expires-in-seconds`).
public struct ShareTokenTTL: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The shortest allowed lifetime: 60 seconds.
    public static let minimumSeconds = 60
    /// The longest allowed lifetime: 21 days (1,814,400 seconds).
    public static let maximumSeconds = 21 * 24 * 60 * 60
    /// The lifetime when none is given: 14 days (1,209,600 seconds).
    public static let defaultSeconds = 14 * 24 * 60 * 60

    /// The default lifetime, 14 days.
    public static let `default` = ShareTokenTTL(unchecked: defaultSeconds)

    public let seconds: Int

    /// Why a TTL was rejected.
    public struct OutOfRange: Error, Hashable, Sendable, CustomStringConvertible {
        public let seconds: Int
        public var description: String {
            "expires-in-seconds must be an integer from \(ShareTokenTTL.minimumSeconds) to \(ShareTokenTTL.maximumSeconds) (1 minute to 21 days); got \(seconds)"
        }
    }

    /// A TTL of `seconds`, which must lie in `60...1_814_400`.
    public init(seconds: Int) throws(OutOfRange) {
        guard (Self.minimumSeconds...Self.maximumSeconds).contains(seconds) else { throw OutOfRange(seconds: seconds) }
        self.seconds = seconds
    }

    private init(unchecked seconds: Int) { self.seconds = seconds }

    public var description: String { "\(seconds)s" }

    public static func < (lhs: ShareTokenTTL, rhs: ShareTokenTTL) -> Bool { lhs.seconds < rhs.seconds }
}
