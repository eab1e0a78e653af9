#if os(Linux)
import Foundation
import NIOCore
import ShareTestSupport
import Testing

/// The connection limits of the real binary: the total cap (Hummingbird's
/// `MaximumAvailableConnections`, which its test harness leaves out) and the open-file limit
/// raised at start.
extension GatewayProcessTests {
    /// Starts `share-gateway` with `arguments` through `sh -c` (so that `shellPrefix`, e.g. a
    /// `ulimit`, applies to it), waits until it listens, and runs `body` with its process id and
    /// port; then stops it with SIGTERM.
    static func withGatewayProcess(
        arguments: [String], shellPrefix: String = "", _ body: (Int32, Int) async throws -> Void
    ) async throws {
        let executable = try #require(BuiltProduct.url(named: "share-gateway"), "build share-gateway first (swift build)")
        let command = ([executable.path, "--port", "0", "--upstream", "http://127.0.0.1:1", "--no-console", "--no-access-log"] + arguments)
            .map { "'\($0)'" }.joined(separator: " ")
        let process = try ChildProcess(
            URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "\(shellPrefix) exec \(command)"],
            environment: ProcessInfo.processInfo.environment.merging(
                ["PLAID_CLIENT_ID": "process-test", "PLAID_SECRET": "process-test-secret", "SHARE_GATEWAY_THREADS": "2"]) { $1 },
            standardOutput: .pipe, standardError: .standardOutput)
        defer {
            process.send(SIGTERM)
            process.waitUntilExit()
        }
        let (printed, listening) = process.readOutput {
            $0.contains("share-gateway listening on") && $0.contains("\n", after: "share-gateway listening on")
        }
        guard listening else {
            Issue.record("share-gateway exited before listening: \(printed)")
            return
        }
        // The ready line: `share-gateway listening on http(s)://127.0.0.1:PORT (upstream …)`.
        let line = try #require(printed.split(separator: "\n").first { $0.hasPrefix("share-gateway listening on") })
        let port = try #require(line.firstMatch(of: #/listening on https?://127\.0\.0\.1:(\d+) /#).flatMap { Int($0.1) })
        try await body(process.processIdentifier, port)
    }

    @Test("connections beyond --max-connections are not served until another closes, while the open ones keep being served")
    func connectionCapQueuesNewConnections() async throws {
        try await Self.withGatewayProcess(arguments: ["--max-connections", "2", "--max-connections-per-client", "100"]) { _, port in
            let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            // NIO accepts up to four connections per wake-up, so the cap may be passed by a few:
            // connections are opened until one is not served, rather than counted.
            var served: [ByteLevelClient] = []
            var waiting: ByteLevelClient?
            defer {
                for client in served { client.channel.close(promise: nil) }
                waiting?.channel.close(promise: nil)
            }
            while waiting == nil && served.count < 10 {
                var client = try await ByteLevelClient.open(port: port)
                try await client.send(request)
                if (try? await client.readResponse(method: "GET", timeout: .seconds(1)))?.status == 200 {
                    served.append(client)
                } else {
                    waiting = client
                }
            }
            var queued = try #require(waiting, "every connection was served despite the cap")
            #expect(served.count >= 2 && served.count <= 2 + 3)
            #expect(queued.unread.isEmpty)
            // The connections already served still are.
            var open = try #require(served.last)
            try await open.send(request)
            #expect(try await open.readResponse(method: "GET").status == 200)
            served[served.count - 1] = open
            // A slot comes free: the queued connection is served.
            try await served.removeFirst().channel.close()
            #expect(try await queued.readResponse(method: "GET", timeout: .seconds(10)).status == 200)
            waiting = queued
        }
    }

    @Test("the soft open-file limit is raised to the hard one at start")
    func openFileLimitIsRaised() async throws {
        try await Self.withGatewayProcess(arguments: [], shellPrefix: "ulimit -Sn 256;") { pid, _ in
            let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
            let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
            let numbers = line.split(separator: " ").compactMap { Int($0) }
            #expect(numbers.count == 2 && numbers[0] == numbers[1], "\(line)")
        }
    }
}

extension String {
    /// Whether `character` occurs after the first `marker`.
    fileprivate func contains(_ character: Character, after marker: String) -> Bool {
        guard let range = range(of: marker) else { return false }
        return self[range.upperBound...].contains(character)
    }
}
#endif
