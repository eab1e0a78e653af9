import Foundation
import ShareSandbox
import ShareTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `share-sandbox` binary running as a child process, for tests of what only a real process
/// shows: durability across `kill -9`, signal handling, the printed URL.
final class SandboxProcess: @unchecked Sendable {
    let process: ChildProcess
    let url: URL

    /// The built `share-sandbox`, next to the test bundle (`swift build` puts both in one folder),
    /// or `SHARE_SANDBOX_BINARY`.
    static func binary() -> URL? {
        if let path = ProcessInfo.processInfo.environment["SHARE_SANDBOX_BINARY"] { return URL(fileURLWithPath: path) }
        return BuiltProduct.url(named: "share-sandbox")
    }

    /// Starts the binary with `arguments` (plus `--port 0`) and waits for its "listening" line.
    init(binary: URL, arguments: [String]) throws {
        process = try ChildProcess(binary, arguments: arguments + ["--port", "0"], standardOutput: .pipe)
        let (printed, listening) = process.readOutput { $0.contains("listening on http://") && $0.hasSuffix("\n") }
        guard listening else { throw SandboxProcessError(reason: "share-sandbox exited before listening; it printed: \(printed)") }
        let line = printed.split(separator: "\n").first { $0.contains("listening on http://") }!
        let address = line[line.range(of: "http://")!.lowerBound...]
        url = URL(string: String(address))!
    }

    /// Ends the process with `signal` and returns its exit status. A process that already ended
    /// is only reaped: its id may belong to another process by now.
    @discardableResult
    func stop(signal: Int32) -> Int32 {
        process.send(signal)
        return process.waitUntilExit()
    }

    /// POSTs `fields` as JSON to `path` and returns the status and the decoded body.
    func post(_ path: String, _ fields: [String: String]) async throws -> (status: Int, body: [String: AttributeValue]) {
        var request = URLRequest(url: url.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(fields)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, (try? JSONDecoder().decode([String: AttributeValue].self, from: data)) ?? [:])
    }
}

struct SandboxProcessError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
