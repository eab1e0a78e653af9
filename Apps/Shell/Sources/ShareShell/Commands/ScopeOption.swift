import Foundation
import ShareModels

extension ScopeSet {
    /// Parses `--scope` values: scopes separated by spaces or commas.
    static func parsingOption(_ text: String) -> ScopeSet {
        ScopeSet(parsing: text.replacingOccurrences(of: ",", with: " "))
    }
}
