import ArgumentParser
import Foundation
import ShareClient
import ShareCredentials
import ShareModels
import ShareTransport
import ShareTransportAHC

/// `share-bench load`: a mixed OAuth workload — token issue, introspection, revocation — from
/// concurrent workers through ShareClient and AsyncHTTPClient, against a sandbox or a gateway.
///
/// Every answer is checked, not only counted: an introspection of a token this run issued and did
/// not revoke must say `active: true`, and one of a token it revoked `active: false`; anything else
/// is a *wrong answer*. Requests are never retried, so every failure shows in the counts.
///
/// With `--journal FILE` it writes what the server acknowledged (tokens whose issue response
/// arrived, revocations that were answered) and with `--verify FILE` it checks, later and against
/// a restarted server, that all of it still holds — the crash-safety test's two halves.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share-bench load",
        abstract: "Drive a mixed OAuth workload (issue, introspect, revoke) and report throughput, latency and errors."
    )

    @Option(help: "Base URL of the sandbox or gateway.") var url: String = "http://127.0.0.1:8080"
    @Option(help: ArgumentHelp("Client credentials; none when calling a gateway that injects its own.", valueName: "ID:SECRET"))
    var client: String?
    @Option(help: "Seconds to run.") var duration: Double = 10
    @Option(help: "Concurrent workers (one request in flight each).") var concurrency: Int = 16
    @Option(help: ArgumentHelp("Relative weights of the operations.", valueName: "issue:N,introspect:N,revoke:N,bad-secret:N"))
    var mix: String = "issue:1,introspect:4,revoke:1"
    @Option(help: "Print a progress line every this many seconds (0: none).") var interval: Double = 0
    @Option(help: ArgumentHelp("Write acknowledged issues and revocations here.", valueName: "FILE")) var journal: String?
    @Option(help: ArgumentHelp("Instead of a load, check every entry of this journal against the server.", valueName: "FILE"))
    var verify: String?
    @Option(help: ArgumentHelp("Write the figures as JSON here.", valueName: "FILE")) var json: String?
    @Flag(help: "Exit 0 even when requests failed (connection errors are expected while the server is killed).")
    var allowErrors = false

    /// The operations of the workload.
    enum Operation: String, CaseIterable, Sendable {
        case issue, introspect, revoke
        /// A token request with a wrong secret: a deliberate `invalid_client`.
        case badSecret = "bad-secret"
    }

    /// What one worker saw.
    struct Tally: Sendable {
        var latencies: [Operation: LatencyHistogram] = [:]
        var errors: [String: Int] = [:]
        var deliberateErrors = 0
        var wrongAnswers: [String] = []
        var journal: [String] = []

        mutating func merge(_ other: Tally) {
            for (operation, histogram) in other.latencies { latencies[operation, default: LatencyHistogram()].merge(histogram) }
            for (kind, count) in other.errors { errors[kind, default: 0] += count }
            deliberateErrors += other.deliberateErrors
            wrongAnswers += other.wrongAnswers
            journal += other.journal
        }

        var succeeded: Int { latencies.values.reduce(0) { $0 + $1.count } }
        var failed: Int { errors.values.reduce(0, +) }
    }

    /// Completed requests so far, for the progress lines.
    actor Progress {
        private(set) var completed = 0
        private(set) var failed = 0
        func record(failed isFailure: Bool) {
            completed += 1
            if isFailure { failed += 1 }
        }
    }

    /// A token pair a worker issued.
    struct Issued: Sendable {
        var access: String
        var refresh: String
        var revoked = false
    }

    func run() async throws {
        guard let base = URL(string: url) else { throw ValidationError("not a URL: \(url)") }
        let credentials = try client.map(Self.credentials)
        let transport = AHCTransport(configuration: .init(
            connectTimeout: .seconds(2), readTimeout: .seconds(10), requestTimeout: .seconds(15),
            maximumConnectionsPerHost: max(concurrency, 1)
        ))
        let configuration = OAuthClient.Configuration(retry: verify == nil ? .never : .default, attemptTimeout: .seconds(10))
        let oauth = OAuthClient(environment: .custom(base), credentials: credentials, transport: transport, configuration: configuration)
        if let verify {
            let ok = try await Self.verify(journal: verify, client: oauth)
            try await transport.shutdown()
            if !ok { throw ExitCode(1) }
            return
        }
        let badClient = OAuthClient(
            environment: .custom(base),
            credentials: ClientCredentials(clientID: credentials?.clientID ?? "load-unknown", secret: "deliberately-wrong-secret"),
            transport: transport, configuration: configuration
        )
        let weights = try Self.weights(mix)
        let progress = Progress()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: .milliseconds(Int64(duration * 1000)))
        let interval = self.interval
        let reporter = interval > 0 ? Task { await Self.report(progress, every: interval, since: start) } : nil
        let journaling = journal != nil
        let tally = await withTaskGroup(of: Tally.self) { group in
            for _ in 0..<max(concurrency, 1) {
                group.addTask {
                    await Self.work(
                        client: oauth, badClient: badClient, weights: weights, until: deadline, journaling: journaling, progress: progress
                    )
                }
            }
            var total = Tally()
            for await part in group { total.merge(part) }
            return total
        }
        reporter?.cancel()
        let elapsed = Self.seconds(clock.now - start)
        try await transport.shutdown()
        if let journal { try (tally.journal.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8) }
        let summary = Summary(tally: tally, elapsed: elapsed, concurrency: concurrency, mix: mix)
        print(summary.text)
        if let json { try summary.json().write(to: URL(fileURLWithPath: json)) }
        if !tally.wrongAnswers.isEmpty || (tally.failed > 0 && !allowErrors) { throw ExitCode(1) }
    }

    // MARK: Workers

    private static func work(
        client: OAuthClient, badClient: OAuthClient, weights: [(Operation, Int)], until deadline: ContinuousClock.Instant,
        journaling: Bool, progress: Progress
    ) async -> Tally {
        var tally = Tally()
        var pool: [Issued] = []
        var generator = SystemRandomNumberGenerator()
        let totalWeight = weights.reduce(0) { $0 + $1.1 }
        let clock = ContinuousClock()
        while clock.now < deadline {
            var pick = Int.random(in: 0..<totalWeight, using: &generator)
            var operation = Operation.issue
            for (candidate, weight) in weights {
                if pick < weight { operation = candidate; break }
                pick -= weight
            }
            if operation != .issue && operation != .badSecret && pool.isEmpty { operation = .issue }
            // Keep the pool small and bounded: forget the oldest half once it passes 512 pairs. A
            // soak judges the load generator's memory too, so the pool must stop growing within
            // the warm-up (issues add pairs faster than revocations remove them).
            if pool.count > 512 { pool.removeFirst(256) }
            let started = clock.now
            var failed = false
            do {
                switch operation {
                case .issue:
                    let response = try await client.clientCredentials()
                    pool.append(Issued(access: response.accessToken, refresh: response.refreshToken))
                    if journaling { tally.journal.append("issued \(response.accessToken) \(response.refreshToken)") }
                case .introspect:
                    let index = Int.random(in: pool.indices, using: &generator)
                    let useRefresh = Bool.random(using: &generator)
                    let token = useRefresh ? pool[index].refresh : pool[index].access
                    let answer = try await client.introspect(token)
                    if answer.active == pool[index].revoked {
                        tally.wrongAnswers.append(
                            "introspect of a \(pool[index].revoked ? "revoked" : "live") \(useRefresh ? "refresh" : "access") token said active=\(answer.active)"
                        )
                    }
                case .revoke:
                    let index = Int.random(in: pool.indices, using: &generator)
                    // Revoking the refresh token revokes its access token too; revoking the access
                    // token alone leaves the refresh token live, so it leaves the pool.
                    let useRefresh = Bool.random(using: &generator)
                    let token = useRefresh ? pool[index].refresh : pool[index].access
                    if journaling { tally.journal.append("revoking \(token)") }
                    try await client.revoke(token)
                    if journaling { tally.journal.append("revoked \(token)") }
                    if useRefresh {
                        pool[index].revoked = true
                    } else {
                        pool.remove(at: index)
                    }
                case .badSecret:
                    do {
                        _ = try await badClient.clientCredentials()
                        tally.wrongAnswers.append("a wrong secret was accepted")
                    } catch where (error.underlyingError as? OAuthError)?.code == .invalidClient {
                        tally.deliberateErrors += 1
                    }
                }
                tally.latencies[operation, default: LatencyHistogram()].record(seconds(clock.now - started))
            } catch {
                failed = true
                tally.errors[Self.kind(of: error, operation: operation), default: 0] += 1
            }
            await progress.record(failed: failed)
        }
        return tally
    }

    private static func kind(of error: any Error, operation: Operation) -> String {
        switch (error as? ShareClientError)?.underlyingError ?? error {
        case let error as OAuthError: "\(operation.rawValue): HTTP \(error.status) \(error.code.rawValue)"
        case let error as TransportError: "\(operation.rawValue): \(error.code)"
        case let error: "\(operation.rawValue): \(type(of: error))"
        }
    }

    private static func report(_ progress: Progress, every interval: Double, since start: ContinuousClock.Instant) async {
        var previous = 0
        let clock = ContinuousClock()
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            let completed = await progress.completed
            let failed = await progress.failed
            let elapsed = seconds(clock.now - start)
            let line = String(format: "progress t=%.0fs requests=%ld rate=%.0f/s errors=%ld", elapsed, completed, Double(completed - previous) / interval, failed)
            // Unbuffered, so that a log being followed shows each line as it comes.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            previous = completed
        }
    }

    // MARK: Verification

    /// Introspects every journal entry: live tokens must be active, revoked ones (and the access
    /// token of a revoked refresh token) inactive. Revocations sent but never answered are
    /// undetermined and skipped, with the tokens they might have touched.
    private static func verify(journal path: String, client: OAuthClient) async throws -> Bool {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var pairs: [(access: String, refresh: String)] = []
        var revoked = Set<String>()
        var attempted = Set<String>()
        for line in lines {
            let parts = line.split(separator: " ").map(String.init)
            switch parts.first {
            case "issued" where parts.count == 3: pairs.append((parts[1], parts[2]))
            case "revoking" where parts.count == 2: attempted.insert(parts[1])
            case "revoked" where parts.count == 2: revoked.insert(parts[1])
            default: continue
            }
        }
        var expectations: [(token: String, active: Bool)] = []
        var undetermined = 0
        for pair in pairs {
            let refreshRevoked = revoked.contains(pair.refresh)
            let accessRevoked = refreshRevoked || revoked.contains(pair.access)
            let refreshUnsure = !refreshRevoked && attempted.contains(pair.refresh)
            let accessUnsure = !accessRevoked && (attempted.contains(pair.access) || refreshUnsure)
            if accessUnsure { undetermined += 1 } else { expectations.append((pair.access, !accessRevoked)) }
            if refreshUnsure { undetermined += 1 } else { expectations.append((pair.refresh, !refreshRevoked)) }
        }
        var mismatches: [String: Int] = [:]
        var checked = 0
        // A few requests at a time: the server was just restarted.
        try await withThrowingTaskGroup(of: (Bool, Bool).self) { group in
            var next = 0
            func enqueue() {
                guard next < expectations.count else { return }
                let expectation = expectations[next]
                next += 1
                group.addTask { (expectation.active, try await client.introspect(expectation.token).active) }
            }
            for _ in 0..<8 { enqueue() }
            while let answer = try await group.next() {
                let (expected, actual) = answer
                checked += 1
                if expected != actual { mismatches[expected ? "issued token lost (inactive)" : "acknowledged revocation lost (active)", default: 0] += 1 }
                enqueue()
            }
        }
        let liveExpected = expectations.filter(\.active).count
        print("verify: issued pairs \(pairs.count), acknowledged revocations \(revoked.count), checked \(checked) tokens "
            + "(\(liveExpected) expected active, \(checked - liveExpected) expected inactive), undetermined \(undetermined), "
            + "violations \(mismatches.values.reduce(0, +))")
        for (kind, count) in mismatches.sorted(by: { $0.key < $1.key }) { print("  VIOLATION \(kind): \(count)") }
        return mismatches.isEmpty
    }

    // MARK: Parsing and figures

    private static func credentials(_ value: String) throws -> ClientCredentials {
        guard let colon = value.firstIndex(of: ":") else { throw ValidationError("--client takes ID:SECRET") }
        return ClientCredentials(clientID: String(value[..<colon]), secret: String(value[value.index(after: colon)...]))
    }

    private static func weights(_ mix: String) throws -> [(Operation, Int)] {
        let weights = try mix.split(separator: ",").map { entry -> (Operation, Int) in
            let parts = entry.split(separator: ":")
            guard parts.count == 2, let operation = Operation(rawValue: String(parts[0])), let weight = Int(parts[1]), weight >= 0 else {
                throw ValidationError("--mix takes OPERATION:WEIGHT,… with operations \(Operation.allCases.map(\.rawValue))")
            }
            return (operation, weight)
        }.filter { $0.1 > 0 }
        guard !weights.isEmpty else { throw ValidationError("--mix gives every operation weight 0") }
        return weights
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The figures of a run.
    struct Summary {
        var tally: Tally
        var elapsed: Double
        var concurrency: Int
        var mix: String

        /// The latency figures of one operation, in seconds.
        struct Row {
            var operation: String
            var count: Int
            var p50: Double
            var p90: Double
            var p99: Double
            var max: Double

            init(_ operation: String, _ histogram: LatencyHistogram) {
                self.operation = operation
                count = histogram.count
                p50 = histogram.percentile(0.5)
                p90 = histogram.percentile(0.9)
                p99 = histogram.percentile(0.99)
                max = histogram.max
            }
        }

        var rows: [Row] {
            var rows = Operation.allCases.compactMap { operation -> Row? in
                guard let histogram = tally.latencies[operation], histogram.count > 0 else { return nil }
                return Row(operation.rawValue, histogram)
            }
            var all = LatencyHistogram()
            for histogram in tally.latencies.values { all.merge(histogram) }
            rows.append(Row("all", all))
            return rows
        }

        var text: String {
            var lines = [
                String(format: "load: %.1f s, %ld workers, mix ", elapsed, concurrency) + mix,
                String(format: "throughput: %.0f requests/s (%ld succeeded, %ld failed, %ld deliberate invalid_client, %ld wrong answers)",
                       Double(tally.succeeded + tally.failed) / max(elapsed, 0.001), tally.succeeded, tally.failed, tally.deliberateErrors,
                       tally.wrongAnswers.count),
                "operation     count      p50 ms   p90 ms   p99 ms   max ms",
            ]
            for row in rows {
                lines.append(row.operation.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: " %7ld   %8.2f %8.2f %8.2f %8.2f", row.count, row.p50 * 1000, row.p90 * 1000, row.p99 * 1000, row.max * 1000))
            }
            for (kind, count) in tally.errors.sorted(by: { $0.key < $1.key }) { lines.append("error \(kind): \(count)") }
            for answer in Set(tally.wrongAnswers).sorted() { lines.append("WRONG ANSWER: \(answer)") }
            return lines.joined(separator: "\n")
        }

        func json() throws -> Data {
            var object: [String: Any] = [
                "elapsed_seconds": elapsed, "concurrency": concurrency, "mix": mix,
                "requests_per_second": Double(tally.succeeded + tally.failed) / max(elapsed, 0.001),
                "succeeded": tally.succeeded, "failed": tally.failed, "deliberate_errors": tally.deliberateErrors,
                "wrong_answers": tally.wrongAnswers.count, "errors": tally.errors,
            ]
            object["operations"] = rows.map {
                ["operation": $0.operation, "count": $0.count, "p50_ms": $0.p50 * 1000, "p90_ms": $0.p90 * 1000, "p99_ms": $0.p99 * 1000, "max_ms": $0.max * 1000]
            }
            return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        }
    }
}
