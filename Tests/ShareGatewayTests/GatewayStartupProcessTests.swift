#if os(Linux)
import Foundation
import ShareTestSupport
import Testing

/// What `share-gateway` prints and how it exits at start-up, from the built binary: its ready
/// line, and the refusals of a configuration it cannot start with (exit status 2).
@Suite("share-gateway start-up (process)", .serialized)
struct GatewayStartupProcessTests {
    /// Runs the gateway until it prints its ready line (then stops it with SIGTERM) or exits;
    /// returns standard output, standard error and the exit status.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (output: String, errors: String, status: Int32) {
        let executable = try #require(BuiltProduct.url(named: "share-gateway"), "build share-gateway first (swift build)")
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARE_GATEWAY_") && !$0.key.hasPrefix("PLAID_") && $0.key != "SHARE_API_KEY" }
        inherited["SHARE_GATEWAY_THREADS"] = "1"
        let process = try ChildProcess(
            executable, arguments: arguments, environment: inherited.merging(environment) { $1 }, standardOutput: .pipe, standardError: .pipe)
        var printed = process.readOutput { $0.contains("\n") }.text
        process.send(SIGTERM)
        let status = process.waitUntilExit()
        printed += String(decoding: process.standardOutput!.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: process.standardError!.readDataToEndOfFile(), as: UTF8.self)
        return (printed, errorText, status)
    }

    /// The port of a socket listening on 127.0.0.1 for the duration of `body`.
    static func withTakenPort<Value>(_ body: (Int) throws -> Value) throws -> Value {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound)
        return try body(Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("once it listens it prints one line: its address with the real port, the upstream and the console URL")
    func readyLine() throws {
        let embedded = try Self.run(["--port", "0", "--no-access-log"])
        let line = try #require(embedded.output.split(separator: "\n").first.map(String.init))
        let pattern = #/^share-gateway listening on http://127\.0\.0\.1:(\d+) \(upstream embedded sandbox at http://127\.0\.0\.1:(\d+); console http://127\.0\.0\.1:(\d+)/console/\)$/#
        let match = try #require(line.wholeMatch(of: pattern), "\(line)")
        #expect(Int(match.1)! > 0 && match.1 == match.3)
        #expect(embedded.status == 0)

        let remote = try Self.run(
            ["--port", "0", "--upstream", "http://127.0.0.1:1", "--no-access-log"],
            environment: ["PLAID_CLIENT_ID": "process-test", "PLAID_SECRET": "process-test-secret"])
        #expect(remote.output.wholeMatch(of: #/share-gateway listening on http://127\.0\.0\.1:[1-9]\d* \(upstream http://127\.0\.0\.1:1\)\n/#) != nil, "\(remote.output)")
        #expect(!remote.output.contains("process-test-secret") && !remote.errors.contains("process-test-secret"))
    }

    @Test("an invalid value from the environment, the file or a flag stops start-up with status 2, naming its source and key", arguments: [
        (["SHARE_GATEWAY_PORT": "abc"], [String](), "SHARE_GATEWAY_PORT=abc: must be an integer"),
        (["SHARE_GATEWAY_PORT": "70000"], [], "SHARE_GATEWAY_PORT=70000 is refused: --port must be between 0 and 65535"),
        (["SHARE_GATEWAY_RATE_LIMIT": "fast"], [], "SHARE_GATEWAY_RATE_LIMIT=fast: must be a number"),
        (["SHARE_GATEWAY_ACCESS_LOG": "maybe"], [], "SHARE_GATEWAY_ACCESS_LOG=maybe: must be true or false"),
        (["SHARE_GATEWAY_LOG_LEVEL": "loud"], [], "SHARE_GATEWAY_LOG_LEVEL=loud is refused: --log-level must be one of"),
        (["SHARE_GATEWAY_THREADS": "many"], [], "SHARE_GATEWAY_THREADS=many: must be a positive integer"),
        (["SHARE_GATEWAY_CPU_AFFINITY": "yes"], [], "SHARE_GATEWAY_CPU_AFFINITY=yes: must be 0 or 1"),
        ([:], ["--port", "abc"], "The value 'abc' is invalid for '--port <port>'"),
        ([:], ["--log-level", "loud"], "--log-level must be one of"),
    ])
    func invalidValueStopsStartUp(environment: [String: String], arguments: [String], message: String) throws {
        let result = try Self.run(arguments, environment: environment)
        #expect(result.status == 2)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(!result.output.contains("listening on"))
    }

    @Test("an invalid value in the config file names the file and the key")
    func invalidFileValue() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"port":"abc"}"#.utf8).write(to: file)
        let result = try Self.run(["--config", file.path])
        #expect(result.status == 2)
        #expect(result.errors.contains(#"{"port":"abc"} in \#(file.path): must be an integer"#), "\(result.errors)")
        try Data(#"{"maxConnections": 0}"#.utf8).write(to: file)
        let rule = try Self.run(["--config", file.path])
        #expect(rule.status == 2)
        #expect(rule.errors.contains(#""maxConnections" in \#(file.path) is refused: --max-connections must be at least 1"#), "\(rule.errors)")
    }

    @Test("a SHARE_GATEWAY_ variable that is not a setting stops start-up with status 2 and one line naming it, never its value, with the setting it most likely meant", arguments: [
        ("SHARE_GATEWAY_UPSTREM", "SHARE_GATEWAY_UPSTREM is not a setting of share-gateway; did you mean SHARE_GATEWAY_UPSTREAM?"),
        ("SHARE_GATEWAY_RATELIMIT", "SHARE_GATEWAY_RATELIMIT is not a setting of share-gateway; did you mean SHARE_GATEWAY_RATE_LIMIT?"),
        ("SHARE_GATEWAY_METRICS_TOKN", "SHARE_GATEWAY_METRICS_TOKN is not a setting of share-gateway; did you mean SHARE_GATEWAY_METRICS_TOKEN?"),
        ("SHARE_GATEWAY_THREAD", "SHARE_GATEWAY_THREAD is not a setting of share-gateway; did you mean SHARE_GATEWAY_THREADS?"),
        ("SHARE_GATEWAY_FAVOURITE_COLOUR", "SHARE_GATEWAY_FAVOURITE_COLOUR is not a setting of share-gateway"),
        ("share_gateway_port", "share_gateway_port is not a setting of share-gateway; did you mean SHARE_GATEWAY_PORT?"),
    ])
    func unknownVariableStopsStartUp(name: String, line: String) throws {
        let value = "never-printed-\(UUID().uuidString)"
        let result = try Self.run(["--port", "0", "--no-access-log"], environment: [name: value])
        #expect(result.status == 2)
        #expect(result.errors == "Error: \(line)\n", "\(result.errors)")
        #expect(!result.errors.contains(value) && !result.output.contains(value))
        #expect(!result.output.contains("listening on"))
    }

    @Test("every unknown variable gets its line; the settings' own names still start the gateway")
    func knownAndUnknownVariables() throws {
        let two = try Self.run(["--port", "0", "--no-access-log"], environment: ["SHARE_GATEWAY_RATE_LIMT": "5", "SHARE_GATEWAY_CPUAFFINITY": "1"])
        #expect(two.status == 2)
        #expect(two.errors == """
            Error: SHARE_GATEWAY_CPUAFFINITY is not a setting of share-gateway; did you mean SHARE_GATEWAY_CPU_AFFINITY?
            Error: SHARE_GATEWAY_RATE_LIMT is not a setting of share-gateway; did you mean SHARE_GATEWAY_RATE_LIMIT?

            """, "\(two.errors)")

        let known = try Self.run(["--no-access-log"], environment: [
            "SHARE_GATEWAY_PORT": "0", "SHARE_GATEWAY_RATE_LIMIT": "50", "SHARE_GATEWAY_UPSTREAM": "embedded", "SHARE_GATEWAY_CPU_AFFINITY": "0",
            "SHARE_GATEWAY_PLAID_CLIENT_ID": "process-test", "SHARE_GATEWAY_PLAID_SECRET": "process-test-secret",
        ])
        #expect(known.output.contains("share-gateway listening on http://127.0.0.1:"), "\(known.output)\(known.errors)")
        #expect(known.status == 0)
    }

    @Test("a config file key that is not a setting stops start-up, naming the file, the key and the one it most likely meant")
    func unknownFileKeyStopsStartUp() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"port": 0, "rateLimt": 5, "plaid": {"secert": "never-printed-file-secret"}}"#.utf8).write(to: file)
        let result = try Self.run(["--config", file.path, "--no-access-log"])
        #expect(result.status == 2)
        #expect(result.errors == """
            Error: "plaid.secert" in \(file.path) is not a setting of share-gateway; did you mean "plaid.secret"?
            Error: "rateLimt" in \(file.path) is not a setting of share-gateway; did you mean "rateLimit"?

            """, "\(result.errors)")
        #expect(!result.errors.contains("never-printed"))

        try Data(#"{"port": 0, "rateLimit": 5}"#.utf8).write(to: file)
        let known = try Self.run(["--no-access-log"], environment: ["SHARE_GATEWAY_CONFIG": file.path])
        #expect(known.output.contains("share-gateway listening on"), "\(known.errors)")
    }

    /// The `$ VARIABLE=VALUE share-gateway …` examples of docs/gateway.md and the lines each shows on
    /// standard error.
    static func documentedRefusals() throws -> [(environment: [String: String], arguments: [String], errors: String)] {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("docs/gateway.md"), encoding: .utf8)
        var examples: [(environment: [String: String], arguments: [String], errors: String)] = []
        var inBlock = false
        var current: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock.toggle()
                current = nil
            } else if inBlock, line.hasPrefix("$ ") {
                current = nil
                var words = line.dropFirst(2).split(separator: " ").map(String.init)[...]
                var environment: [String: String] = [:]
                while let word = words.first, let equals = word.firstIndex(of: "=") {
                    environment[String(word[..<equals])] = String(word[word.index(after: equals)...])
                    words = words.dropFirst()
                }
                guard words.popFirst() == "share-gateway" else { continue }
                examples.append((environment, Array(words), ""))
                current = examples.count - 1
            } else if let current, line.hasPrefix("Error: ") {
                examples[current].errors += line + "\n"
            }
        }
        return examples
    }

    @Test("the refusals docs/gateway.md shows are what the gateway prints")
    func documentedRefusalsAreWhatItPrints() throws {
        let examples = try Self.documentedRefusals()
        #expect(examples.count >= 5)
        for example in examples {
            #expect(!example.errors.isEmpty, "\(example.environment) \(example.arguments)")
            let result = try Self.run(example.arguments, environment: example.environment)
            #expect(result.status == 2)
            #expect(result.errors == example.errors, "\(example.environment): \(result.errors)")
        }
    }

    @Test("a remote upstream without credentials is refused, naming what to set")
    func remoteUpstreamNeedsCredentials() throws {
        let result = try Self.run(["--port", "0", "--upstream", "http://127.0.0.1:1"])
        #expect(result.status == 2)
        #expect(result.errors.contains("--upstream http://127.0.0.1:1 needs credentials"), "\(result.errors)")
        #expect(result.errors.contains("PLAID_CLIENT_ID") && result.errors.contains("SHARE_API_KEY"))
    }

    @Test("a taken port is named, with --port 0 suggested, and exits 2")
    func takenPort() throws {
        try Self.withTakenPort { port in
            let result = try Self.run(["--port", String(port), "--no-access-log"])
            #expect(result.status == 2)
            #expect(result.errors.contains("port \(port) on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one"), "\(result.errors)")
        }
    }
}
#endif
