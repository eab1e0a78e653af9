import Foundation
import Testing

/// Code shown in the README and docs/ that a marker ties to a compiled file
/// (`<!-- compiled: PATH -->` on the line before the code block) is that file, byte for byte:
/// scripts/test-consumer builds and runs the files of Tests/Consumer against ShareKit resolved by
/// URL, and `swift test` runs a marked test file (docs/client.md's testing example), so the
/// documentation can only show code that builds.
@Suite struct DocumentationSnippetTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Snippet: CustomStringConvertible {
        let document: String
        let file: String
        let code: String
        var description: String { "\(document) → \(file)" }
    }

    /// Every marked code block of README.md and docs/*.md.
    static func markedSnippets() throws -> [Snippet] {
        let docs = repository.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        var snippets: [Snippet] = []
        for document in ["README.md"] + names.map({ "docs/" + $0 }) {
            let text = try String(contentsOf: repository.appendingPathComponent(document), encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
            while let line = lines.popFirst() {
                guard line.hasPrefix("<!-- compiled: "), line.hasSuffix(" -->") else { continue }
                let file = String(line.dropFirst("<!-- compiled: ".count).dropLast(" -->".count))
                guard lines.popFirst()?.hasPrefix("```") == true else {
                    Issue.record("\(document): no code block after the marker for \(file)")
                    continue
                }
                var code: [Substring] = []
                while let body = lines.popFirst(), body != "```" { code.append(body) }
                snippets.append(Snippet(document: document, file: file, code: code.joined(separator: "\n") + "\n"))
            }
        }
        return snippets
    }

    @Test func theReadmeAndTheGuidesMarkTheirExamples() throws {
        let files = Set(try Self.markedSnippets().map(\.file))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/ShareReport.swift"))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/QuickStart.swift"))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/LocalSandbox.swift"))
        #expect(files.contains("Tests/ShareClientTests/TimeAndFailureExampleTests.swift"))
    }

    @Test(arguments: try markedSnippets())
    func aMarkedExampleIsTheCompiledFile(_ snippet: Snippet) throws {
        let compiled = try String(contentsOf: Self.repository.appendingPathComponent(snippet.file), encoding: .utf8)
        #expect(snippet.code == compiled, "\(snippet.document) shows code that differs from \(snippet.file)")
    }
}
