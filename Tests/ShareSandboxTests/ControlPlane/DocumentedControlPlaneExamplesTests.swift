import Foundation
import HTTPTypes
import ShareSandbox
import Testing

/// The `curl` lines docs/sandbox.md shows for the control plane (the block marked
/// `<!-- replayed: … -->` with this file's path), sent in order, as written, to a sandbox with the
/// demo clients and organizations — the one `swift run share-sandbox` starts.
@Suite("Control plane: docs/sandbox.md's examples")
struct DocumentedControlPlaneExamplesTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let marker = "<!-- replayed: Tests/ShareSandboxTests/ControlPlane/DocumentedControlPlaneExamplesTests.swift -->"

    /// One `curl` command of the block.
    struct Command: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var headers: HTTPFields
        var body: String?
        var description: String { "\(method) \(path)" }
    }

    /// The commands of the marked block, continuation lines joined.
    static func commands() throws -> [Command] {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/sandbox.md"), encoding: .utf8)
        guard let start = text.range(of: marker + "\n```bash\n") else { throw ControlPlaneTestError("docs/sandbox.md has no replayed block") }
        let block = text[start.upperBound...].prefix { _ in true }
        guard let end = block.range(of: "\n```") else { throw ControlPlaneTestError("the replayed block does not end") }
        let joined = block[..<end.lowerBound].replacingOccurrences(of: "\\\n", with: " ")
        return try joined.split(separator: "\n").map { try command(String($0)) }
    }

    /// A `curl` line: `-s`, `-X METHOD`, `-u ID:SECRET`, `-H 'Name: value'`, `-d 'body'` and a
    /// `localhost:8080/…` URL.
    static func command(_ line: String) throws -> Command {
        var words = try shellWords(line)[...]
        guard words.popFirst() == "curl" else { throw ControlPlaneTestError("not a curl line: \(line)") }
        var method: HTTPRequest.Method?
        var path: String?
        var headers: HTTPFields = [:]
        var body: String?
        while let word = words.popFirst() {
            switch word {
            case "-s": continue
            case "-X": method = words.popFirst().flatMap { HTTPRequest.Method($0) }
            case "-u": headers[.authorization] = "Basic " + Data((words.popFirst() ?? "").utf8).base64EncodedString()
            case "-H":
                let header = words.popFirst() ?? ""
                guard let colon = header.firstIndex(of: ":"), let name = HTTPField.Name(String(header[..<colon])) else {
                    throw ControlPlaneTestError("bad header in \(line)")
                }
                headers[name] = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            case "-d": body = words.popFirst()
            case _ where word.hasPrefix("localhost:8080/"): path = String(word.dropFirst("localhost:8080".count))
            default: throw ControlPlaneTestError("unexpected \(word) in \(line)")
            }
        }
        guard let path else { throw ControlPlaneTestError("no URL in \(line)") }
        return Command(method: method ?? (body == nil ? .get : .post), path: path, headers: headers, body: body)
    }

    /// `line` split as a shell splits it, with single quotes.
    static func shellWords(_ line: String) throws -> [String] {
        var words: [String] = []
        var current: String?
        var quoted = false
        for character in line {
            if quoted {
                if character == "'" { quoted = false } else { current!.append(character) }
            } else if character == "'" {
                quoted = true
                current = current ?? ""
            } else if character == " " {
                if let word = current { words.append(word) }
                current = nil
            } else {
                current = (current ?? "") + String(character)
            }
        }
        guard !quoted else { throw ControlPlaneTestError("unterminated quote in \(line)") }
        if let current { words.append(current) }
        return words
    }

    @Test("every example succeeds, in order, with the effect the guide describes")
    func examples() async throws {
        let commands = try Self.commands()
        #expect(commands.count >= 6)
        let configuration = SandboxConfiguration(port: 0, partners: SandboxHarness.partners)
        try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
            var offset = 0
            for command in commands {
                let answer = try await client.send(
                    command.path, method: command.method, headers: command.headers, body: command.body.map { Array($0.utf8) })
                #expect((200...299).contains(answer.status), "\(command): \(answer.status) \(answer.bodyText)")
                if let seconds = answer.integer("offset_seconds") { offset = seconds }
                if command.path == "/sandbox/clock/advance" { #expect(offset == 3600) }
                if command.path == "/sandbox/faults" && command.method == .get {
                    guard case .array(let faults)? = answer["faults"] else { throw ControlPlaneTestError("no faults: \(answer.bodyText)") }
                    #expect(faults.count == 1)
                }
                if command.path == "/sandbox/faults" && command.method == .delete { #expect(answer.json == ["removed": .integer(1)]) }
                if command.path == "/sandbox/clock/reset" { #expect(offset == 0) }
            }
        }
    }
}
