import ShareSandbox

/// The `retention` of a `share-sandbox --config` file: a positive number of seconds, or `false`
/// to keep everything (`true` is the default, a day).
public struct RetentionSetting: Decodable, Hashable, Sendable {
    /// The retention in seconds, or `nil` to keep everything.
    public var seconds: Int?

    public init(seconds: Int?) { self.seconds = seconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self) {
            guard seconds > 0 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be a positive number of seconds, or false to keep everything")
            }
            self.seconds = seconds
        } else if let keep = try? container.decode(Bool.self) {
            self.seconds = keep ? SandboxRetention.defaultSeconds : nil
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be a positive number of seconds, or false to keep everything")
        }
    }
}
