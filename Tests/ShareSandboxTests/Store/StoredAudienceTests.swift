import Foundation
import ShareSandbox
import Testing

/// The `audience` column's text must read back exactly what was written, by either path, and
/// rows written before (by `JSONEncoder`) must read as they did through `JSONDecoder`.
@Suite("stored audience")
struct StoredAudienceTests {
    static let samples: [[String]] = [
        [], ["demo-client"], ["a", "b", ""], ["é", "東京", "😀"], ["https://bank.example/api"], ["a\"b"], ["back\\slash"],
        ["line\nbreak", "tab\t", "\u{1}"], ["plain", "with \"quote\""],
    ]

    @Test("written text reads back as the same audience", arguments: samples)
    func roundTrip(_ audience: [String]) throws {
        let text = try StoredAudience.text(for: audience)
        #expect(try StoredAudience.audience(from: text) == audience)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == audience)
    }

    @Test("plain audiences are written as compact JSON")
    func plainText() throws {
        #expect(try StoredAudience.text(for: ["demo-client", "other"]) == #"["demo-client","other"]"#)
        #expect(try StoredAudience.text(for: []) == "[]")
    }

    @Test("text written by JSONEncoder (older rows) reads as JSONDecoder reads it", arguments: samples)
    func olderRows(_ audience: [String]) throws {
        let text = String(decoding: try JSONEncoder().encode(audience), as: UTF8.self)
        #expect(try StoredAudience.audience(from: text) == audience)
    }

    @Test("JSON with whitespace or escapes is read through the general path")
    func generalPath() throws {
        #expect(try StoredAudience.audience(from: #" [ "a" , "b" ] "#) == ["a", "b"])
        #expect(try StoredAudience.audience(from: #"["a\/b","\u00e9"]"#) == ["a/b", "é"])
    }

    @Test(
        "text that is not a JSON array of strings is an error",
        arguments: ["", "[", "]", #"["a""#, #"["a" "b"]"#, #"[1]"#, #"["a"]x"#, #"{"a":"b"}"#, "null", #"[,"a"]"#])
    func rejects(_ text: String) {
        #expect(throws: (any Error).self) { try StoredAudience.audience(from: text) }
    }
}
