/// The known setting a name that is not one most likely meant, for a refusal that names it:
/// `SHARE_GATEWAY_RATELIMIT is not a setting of share-gateway; did you mean SHARE_GATEWAY_RATE_LIMIT?`.
///
/// A pure function of the name and the known names, so that the matching is tested on its own.
enum SettingNameSuggestion {
    /// The largest edit distance at which a known name is still suggested.
    static let maximumDistance = 3

    /// The known name spelled with the same letters and digits as `name` (ignoring case and the
    /// separators `_`, `.` and `-`), else the nearest within ``maximumDistance`` edits (the first
    /// of `known` on a tie), else `nil`.
    static func nearest(to name: String, among known: [String]) -> String? {
        let letters = lettersAndDigits(of: name)
        if let sameLetters = known.first(where: { lettersAndDigits(of: $0) == letters }) {
            return sameLetters
        }
        var best: (name: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(name, candidate)
            if distance <= maximumDistance, distance < best?.distance ?? .max {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// The Levenshtein distance between `first` and `second`: the fewest single-character
    /// insertions, deletions and substitutions that turn one into the other.
    static func editDistance(_ first: String, _ second: String) -> Int {
        let first = Array(first)
        let second = Array(second)
        guard !first.isEmpty else { return second.count }
        guard !second.isEmpty else { return first.count }
        var previous = Array(0...second.count)
        var current = [Int](repeating: 0, count: second.count + 1)
        for i in 1...first.count {
            current[0] = i
            for j in 1...second.count {
                let substitution = previous[j - 1] + (first[i - 1] == second[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[second.count]
    }

    /// `name`'s letters and digits, lower-cased: `SHARE_GATEWAY_RATE_LIMIT` and
    /// `SHARE_GATEWAY_RATELIMIT` have the same.
    private static func lettersAndDigits(of name: String) -> String {
        String(name.filter { $0.isLetter || $0.isNumber }).lowercased()
    }
}
