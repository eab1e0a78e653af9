import ArgumentParser

/// How far `sandbox clock advance` moves the sandbox's clock, as typed: a whole number and a
/// unit, `30s`, `90m`, `1h` or `14d`.
struct ClockAdvanceAmount: Sendable, Equatable, CustomStringConvertible {
    /// The amount in seconds.
    let seconds: Int
    /// The amount as typed, for messages.
    let text: String

    /// The units accepted and their lengths in seconds.
    static let units: [(suffix: Character, seconds: Int, name: String)] = [
        ("s", 1, "seconds"), ("m", 60, "minutes"), ("h", 3600, "hours"), ("d", 86_400, "days"),
    ]

    /// The largest amount accepted: the sandbox's own limit on how far its clock runs ahead
    /// (100 years of 365 days).
    static let maximumSeconds = 100 * 365 * 86_400

    /// Reads `14d`; throws a `ValidationError` saying what is accepted otherwise.
    init(parsing text: String) throws {
        let usage = "a whole number and a unit, s, m, h or d (30s, 90m, 1h, 14d)"
        guard let last = text.last, let unit = Self.units.first(where: { $0.suffix == last }) else {
            throw ValidationError("\"\(text)\" is not an amount of time: give \(usage)")
        }
        let digits = text.dropLast()
        if digits.first == "-", let count = Int(digits.dropFirst()), count >= 0 {
            throw ValidationError("\"\(text)\": the clock only moves forward, by 1s or more (`sandbox clock reset` sets it back to the real time)")
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let count = Int(digits) else {
            throw ValidationError("\"\(text)\" is not an amount of time: give \(usage)")
        }
        guard count > 0 else { throw ValidationError("\"\(text)\": the clock only moves forward, by 1s or more") }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: unit.seconds)
        guard !overflow, seconds <= Self.maximumSeconds else {
            throw ValidationError("\"\(text)\" is too far: the clock moves at most \(Self.maximumSeconds / 86_400)d ahead of the real time")
        }
        self.seconds = seconds
        self.text = text
    }

    var description: String { text }
}
