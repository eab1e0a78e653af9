import Foundation
import ShareWire

/// What a list command says on standard error about the pages around the one it printed, so
/// that `--json` stays the API's answer exactly (`data` and `links`).
enum ListPageNote {
    /// `document` with a note naming the `--after`/`--before` lines that read the next and
    /// previous pages; the bare document when there are none.
    static func outcome(_ document: JSONValue, command: String, next: String?, previous: String?) -> CommandOutcome {
        var notes: [String] = []
        if let next { notes.append("more: \(command) --after \(next)") }
        if let previous { notes.append("newer: \(command) --before \(previous)") }
        guard !notes.isEmpty else { return .result(document) }
        return .annotatedResult(document, note: notes.joined(separator: "; "))
    }

    /// The decoded value of query parameter `name` in the link URL `link`.
    static func value(of name: String, inLink link: String) -> String? {
        URLComponents(string: link)?.queryItems?.first { $0.name == name }?.value
    }
}
