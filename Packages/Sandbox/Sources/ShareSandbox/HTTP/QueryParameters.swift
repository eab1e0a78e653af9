import Foundation
import ShareCore

/// The query of a request URI as decoded name/value pairs.
///
/// Hand-written because Hummingbird's `queryParameters` leaves names percent-encoded, and the
/// JSON:API names this API reads (`page[size]`, `filter[status]`) arrive as `page%5Bsize%5D`
/// from most clients.
struct QueryParameters: Sendable {
    private var pairs: [(name: String, value: String)]

    init(query: String?) {
        pairs = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(pieces[0]), pieces.count > 1 ? Self.decode(pieces[1]) : "")
        }
    }

    /// The last value of the first of `names` present.
    func value(_ names: String...) -> (name: String, value: String)? {
        for name in names {
            if let pair = pairs.last(where: { $0.name == name }) { return (name, pair.value) }
        }
        return nil
    }

    /// Every name that starts with `prefix` and ends with `]` (e.g. `fields[…]`), with the text
    /// between them and its last value, in the order first seen.
    func bracketed(_ prefix: String) -> [(name: String, key: String, value: String)] {
        var seen: [String] = []
        for pair in pairs where pair.name.hasPrefix(prefix + "[") && pair.name.hasSuffix("]") && !seen.contains(pair.name) {
            seen.append(pair.name)
        }
        return seen.compactMap { name in
            value(name).map { (name, String(name.dropFirst(prefix.count + 1).dropLast()), $0.value) }
        }
    }

    private static func decode(_ text: Substring) -> String {
        PercentCoding.decode(text, plus: .space) ?? text.replacingOccurrences(of: "+", with: " ")
    }
}
