import Foundation
import ShareTestSupport
import Testing

/// The shell examples of README.md and docs/*.md run as written: each code block's
/// `share:embedded> …` lines as one session (piped, so each line runs in order), and each line of a
/// `bash` block that runs `swift run share` through a system shell, with `swift run share` standing
/// for the built binary. An example that fails, or prints an error, fails the test.
@Suite("documented shell examples", .serialized)
struct DocumentedShellExamplesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Example: CustomStringConvertible, Sendable {
        enum Kind: Sendable { case session, commandLine }
        let document: String
        let kind: Kind
        let text: String
        var description: String { "\(document): \(text.split(separator: "\n").first ?? "")" }
    }

    static let prompt = "share:embedded> "

    /// Every shell example of the documents.
    static func examples() throws -> [Example] {
        let docs = repository.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        var examples: [Example] = []
        for document in ["README.md"] + names.map({ "docs/" + $0 }) {
            let text = try String(contentsOf: repository.appendingPathComponent(document), encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
            while let line = lines.popFirst() {
                guard line.hasPrefix("```") else { continue }
                let language = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                var block: [String] = []
                while let body = lines.popFirst(), !body.hasPrefix("```") { block.append(body) }
                let session = block.compactMap(Self.sessionLine)
                if !session.isEmpty {
                    examples.append(Example(document: document, kind: .session, text: session.joined(separator: "\n") + "\n"))
                }
                if language == "bash" {
                    for line in block where Self.runsTheShell(line) {
                        examples.append(Example(document: document, kind: .commandLine, text: line))
                    }
                }
            }
        }
        return examples
    }

    /// The command of a session line: the text after `share:embedded> ` or after a prompt that
    /// names the organization in use (`share:embedded as org_demo-bank> `); `nil` for other lines.
    static func sessionLine(_ line: String) -> String? {
        if line.hasPrefix(prompt) { return String(line.dropFirst(prompt.count)) }
        let organizationPrompt = "share:embedded as "
        guard line.hasPrefix(organizationPrompt), let end = line.range(of: "> ") else { return nil }
        let organization = line[line.index(line.startIndex, offsetBy: organizationPrompt.count)..<end.lowerBound]
        guard !organization.isEmpty, !organization.contains(" ") else { return nil }
        return String(line[end.upperBound...])
    }

    /// Whether a command line runs `swift run share` (not `share-sandbox` or `share-gateway`).
    static func runsTheShell(_ line: String) -> Bool {
        guard let range = line.range(of: "swift run share") else { return false }
        let next = line[range.upperBound...].first
        return next == nil || next == " "
    }

    @Test func theReadmeAndTheShareTokenGuideHaveShellExamples() throws {
        let examples = try Self.examples()
        #expect(examples.contains { $0.document == "README.md" && $0.kind == .session && $0.text.contains("share report") })
        #expect(examples.contains { $0.document == "README.md" && $0.kind == .commandLine && $0.text.contains("| swift run share") })
        #expect(examples.contains { $0.document == "README.md" && $0.text.contains("share introspect") })
        #expect(examples.contains { $0.document == "docs/share-tokens.md" && $0.kind == .session })
    }

    @Test(arguments: try examples())
    func anExampleRunsAsWritten(_ example: Example) throws {
        let binary = ShellBinaryTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shell first: swift build --product share")
        var environment = ProcessInfo.processInfo.environment
        for key in ["PLAID_CLIENT_ID", "PLAID_SECRET", "SHARE_API_KEY"] { environment.removeValue(forKey: key) }
        environment["XDG_STATE_HOME"] = ShellBinaryTests.stateDirectory().path
        environment["SHARE_BINARY"] = binary.path
        let outcome: ChildProcess.Outcome
        switch example.kind {
        case .session:
            outcome = try ChildProcess.run(binary, environment: environment, input: example.text)
        case .commandLine:
            outcome = try ChildProcess.run(
                URL(fileURLWithPath: "/bin/bash"),
                arguments: [
                    "-c",
                    #"swift() { if [ "$1" = run ] && [ "$2" = share ]; then shift 2; "$SHARE_BINARY" "$@"; else echo "not swift run share" >&2; return 127; fi; }"#
                        + "\nset -o pipefail\n" + example.text,
                ],
                environment: environment)
        }
        let printed = outcome.output
        let complaints = outcome.error
        #expect(outcome.status == 0, "\(example): \(complaints)")
        #expect(!complaints.contains("error"), "\(example): \(complaints)")
        if example.text.contains("introspect") {
            #expect(printed.contains("\"active\" : true"), "\(example): \(printed)")
        }
    }
}
