import Foundation
import Hummingbird
import Logging
import ShareClient
import ShareCredentials
import ShareSandbox
import ShareTransport
import ShareTransportAHC
import ShareTransportNIO

/// `share-bench introspect`: requests per second of `OAuthClient.introspect` against a server on
/// this machine, compared in the same run with Plaid's official Python client (`plaid-python`,
/// `PlaidApi.oauth_introspect`) pointed at the same server.
///
/// Three servers are measured, cheapest first: a fixed-answer responder on SwiftNIO's HTTP/1 codec
/// alone (``FixedAnswerResponder``), the same answers from a Hummingbird router, and the ShareKit
/// sandbox (realistic, but its own work bounds both clients). The responders check the credential
/// headers and answer a fixed introspection, so that the figures show the clients' own cost; the
/// clients and the server share the machine's cores, so the cheaper the server, the closer the
/// figures come to that cost.
///
/// The Swift client is measured on `NIOHTTPTransport` (the headline figure) and on
/// `AHCTransport`. Every client introspects the same live access token, one request at a time
/// ("sequential") and with `SHARE_BENCH_CONCURRENCY` requests in flight (Swift tasks; Python
/// threads sharing one client). Each figure is the rate over `SHARE_BENCH_SECONDS` (default 3) after a warm-up.
/// Python is found at `SHARE_BENCH_PYTHON`, else `.venv/bin/python`, else `python3`; without
/// `plaid-python` the Python column is skipped.
struct IntrospectBenchmark {
    var seconds = Double(ProcessInfo.processInfo.environment["SHARE_BENCH_SECONDS"] ?? "") ?? 3
    var concurrency = Int(ProcessInfo.processInfo.environment["SHARE_BENCH_CONCURRENCY"] ?? "") ?? 16

    func run() async throws {
        let quiet = Logger(label: "share-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        // As many pooled connections as requests in flight, like the Python client's pool
        // (`connection_pool_maxsize`), so that no client queues for a connection.
        let connections = max(concurrency, 8)
        try await NIOHTTPTransport.withTransport(configuration: .init(maximumConnectionsPerHost: connections)) { nio in
            try await AHCTransport.withTransport(configuration: .init(maximumConnectionsPerHost: connections)) { ahc in
                let transports: [(name: String, transport: any HTTPTransport)] = [("NIO", nio), ("AHC", ahc)]
                try await measure(try await FixedAnswerResponder.start(), server: "the fixed-answer NIO responder", transports: transports)
                try await withMinimalServer(logger: quiet) { url in
                    try await measure(url: url, server: "the fixed-answer Hummingbird responder", transports: transports)
                }
                try await SandboxServer.withRunningSandbox(configuration: .init(port: 0, logger: quiet)) { sandbox in
                    try await measure(url: sandbox.url, server: "the sandbox", transports: transports)
                }
            }
        }
    }

    /// A Hummingbird server that answers `/oauth/token` and `/oauth/introspect` with fixed bodies
    /// once the demo credentials are in the headers.
    private func withMinimalServer(logger: Logger, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        let headers: HTTPFields = [.contentType: "application/json"]
        @Sendable func authorized(_ request: Request) -> Bool {
            request.headers[.plaidClientID] == SandboxDemo.clientID
                && request.headers[.plaidSecret] == SandboxDemo.clientSecret
        }
        router.post("/oauth/token") { request, _ -> Response in
            guard authorized(request) else { return Response(status: .unauthorized) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FixedAnswerResponder.tokenAnswer)))
        }
        router.post("/oauth/introspect") { request, _ -> Response in
            guard authorized(request) else { return Response(status: .unauthorized) }
            _ = try await request.body.collect(upTo: 1 << 16)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FixedAnswerResponder.introspectionAnswer)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw BenchmarkFailure(reason: "the minimal server did not start") }
            defer { group.cancelAll() }
            try await body("http://127.0.0.1:\(port)")
        }
    }

    /// Measures against `running`, then stops it, whether or not the measurement succeeded.
    private func measure(_ running: some BenchmarkServer, server: String, transports: [(name: String, transport: any HTTPTransport)]) async throws {
        do {
            try await measure(url: running.url, server: server, transports: transports)
        } catch {
            try? await running.shutdown()
            throw error
        }
        try await running.shutdown()
    }

    private func measure(url: String, server: String, transports: [(name: String, transport: any HTTPTransport)]) async throws {
        let credentials = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)
        let duration = Duration.milliseconds(Int(seconds * 1000))
        var token: String?
        var swift: [(name: String, sequential: Double, concurrent: Double)] = []
        for (name, transport) in transports {
            let client = OAuthClient(environment: .custom(URL(string: url)!), credentials: credentials, transport: transport)
            let current: String
            if let token { current = token } else { current = try await client.clientCredentials().accessToken }
            token = current
            guard try await client.introspect(current).active else { throw BenchmarkFailure(reason: "the token is not active") }
            _ = try await Self.rate(for: .milliseconds(500), workers: concurrency) { _ = try await client.introspect(current) }
            let sequential = try await Self.rate(for: duration, workers: 1) { _ = try await client.introspect(current) }
            let concurrent = try await Self.rate(for: duration, workers: concurrency) { _ = try await client.introspect(current) }
            swift.append((name, sequential, concurrent))
        }
        guard let token else { return }
        let python = try await PythonClient.find()
        var pythonSequential: Double?
        var pythonConcurrent: Double?
        if let python {
            pythonSequential = try await python.rate(url: url, token: token, seconds: seconds, threads: 1)
            pythonConcurrent = try await python.rate(url: url, token: token, seconds: seconds, threads: concurrency)
        }

        func column(_ text: String) -> String { String(repeating: " ", count: max(0, 11 - text.count)) + text }
        func row(_ name: String, _ figures: [Double], _ python: Double?) -> String {
            var line = name.padding(toLength: 26, withPad: " ", startingAt: 0)
            for figure in figures { line += column(String(format: "%.0f", figure)) }
            line += column(python.map { String(format: "%.0f", $0) } ?? "(absent)")
            for figure in figures { line += column(python.map { String(format: "%.1f×", figure / $0) } ?? "n/a") }
            return line
        }
        print("OAuthClient.introspect vs plaid-python oauth_introspect, requests/s against \(server) at \(url)")
        var header = "".padding(toLength: 26, withPad: " ", startingAt: 0)
        for figures in swift { header += column("Swift \(figures.name)") }
        header += column("Python")
        for figures in swift { header += column("ratio \(figures.name)") }
        print(header)
        print(row("sequential (1 in flight)", swift.map(\.sequential), pythonSequential))
        print(row("concurrent (\(concurrency) in flight)", swift.map(\.concurrent), pythonConcurrent))
        if python == nil { print("plaid-python not found: pip install plaid-python (or set SHARE_BENCH_PYTHON)") }
    }

    /// Operations per second of `operation` run by `workers` tasks for `duration`.
    static func rate(for duration: Duration, workers: Int, _ operation: @escaping @Sendable () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: duration)
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var count = 0
                    while clock.now < deadline {
                        try await operation()
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / (clock.now - start).seconds
    }
}

/// Plaid's official Python client, run as a child process.
struct PythonClient {
    let executable: String

    /// The interpreter to use, or `nil` when none has `plaid-python`.
    static func find() async throws -> PythonClient? {
        let environment = ProcessInfo.processInfo.environment
        var candidates = [".venv/bin/python", "/usr/bin/env"]
        if let chosen = environment["SHARE_BENCH_PYTHON"] { candidates.insert(chosen, at: 0) }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let client = PythonClient(executable: candidate)
            if (try? await client.run(["-c", "import plaid"])) != nil { return client }
        }
        return nil
    }

    /// Requests per second of `oauth_introspect` over `seconds`, with `threads` threads.
    func rate(url: String, token: String, seconds: Double, threads: Int) async throws -> Double {
        let output = try await run(["-c", Self.script, url, SandboxDemo.clientID, SandboxDemo.clientSecret, token, String(seconds), String(threads)])
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("RATE ") }), let rate = Double(line.dropFirst(5)) else {
            throw BenchmarkFailure(reason: "the Python client printed no rate")
        }
        return rate
    }

    /// Runs Python with `arguments` on a thread of its own and returns its output. Waiting for a
    /// child process blocks a thread, which must not be one of the executor's (with
    /// `SHARE_BENCH_EXECUTOR=nio` those also serve the in-process server).
    private func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(arguments) })
            }
        }
    }

    private func runBlocking(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = (executable.hasSuffix("/env") ? ["python3"] : []) + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkFailure(reason: "python exited with \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Introspects `token` for the given seconds (after a half-second warm-up) and prints `RATE n`.
    static let script = """
        import sys, time, threading
        import plaid
        from plaid.api import plaid_api
        from plaid.model.o_auth_introspect_request import OAuthIntrospectRequest
        url, client_id, secret, token, seconds, threads = sys.argv[1:7]
        seconds, threads = float(seconds), int(threads)
        configuration = plaid.Configuration(host=url, api_key={"clientId": client_id, "secret": secret})
        configuration.connection_pool_maxsize = max(threads, 4)
        client = plaid_api.PlaidApi(plaid.ApiClient(configuration))
        request = OAuthIntrospectRequest(token=token)
        assert client.oauth_introspect(request).active
        def work(until, counts, index):
            n = 0
            while time.monotonic() < until:
                client.oauth_introspect(request)
                n += 1
            counts[index] = n
        def run(duration):
            counts = [0] * threads
            start = time.monotonic()
            workers = [threading.Thread(target=work, args=(start + duration, counts, i)) for i in range(threads)]
            for w in workers: w.start()
            for w in workers: w.join()
            return sum(counts) / (time.monotonic() - start)
        run(0.5)
        print("RATE %f" % run(seconds))
        """
}
