import Foundation

/// An instant written on the wire as an RFC 3339 / ISO 8601 UTC string with milliseconds,
/// e.g. `2026-11-22T19:54:22.000Z`, as JSON:API documents of share tokens use. Decoding also
/// accepts the form without fractional seconds.
public struct Timestamp: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var date: Date

    public init(_ date: Date) { self.date = date }

    /// Seconds since 1970, rounded down.
    public var unixSeconds: Int { Int(date.timeIntervalSince1970.rounded(.down)) }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Parses an ISO 8601 UTC string, with or without fractional seconds.
    public init?(parsing text: String) {
        if let date = try? Self.withFraction.parse(text) {
            self.date = date
        } else if let date = try? Self.withoutFraction.parse(text) {
            self.date = date
        } else {
            return nil
        }
    }

    public var description: String { Self.withFraction.format(date) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 date-time")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
