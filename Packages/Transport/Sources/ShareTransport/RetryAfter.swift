/// A parsed `Retry-After` value: how long the server asks the client to wait.
///
/// RFC 9110 §10.2.3 allows delay seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). The date form is parsed here by hand because only its
/// fixed IMF-fixdate layout is current (RFC 9110 §5.6.7) and ShareTransport depends on
/// swift-http-types alone.
public enum RetryAfter {
    /// The wait a `Retry-After` value asks for, or `nil` when it is absent or malformed. A date in
    /// the past means no wait.
    ///
    /// - Parameters:
    ///   - value: The header value.
    ///   - now: Seconds since 1970 of the current wall-clock time, for the date form.
    public static func delay(_ value: String?, now: Double) -> Duration? {
        guard let value = value?.trimmingASCIISpaces, !value.isEmpty else { return nil }
        if value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let seconds = Int(value) else { return .seconds(Int.max / 2_000_000_000) }
            return .seconds(seconds)
        }
        guard let date = httpDateSeconds(value) else { return nil }
        let wait = Double(date) - now
        return wait > 0 ? .milliseconds(Int64(wait * 1000)) : .zero
    }

    /// Seconds since 1970 of an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDateSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int(parts[1]), (1...31).contains(day),
            let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3]), year >= 1970
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension String {
    fileprivate var trimmingASCIISpaces: String {
        var view = Substring(self)
        while view.first == " " || view.first == "\t" { view = view.dropFirst() }
        while view.last == " " || view.last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
