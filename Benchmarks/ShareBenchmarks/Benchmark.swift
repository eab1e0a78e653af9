/// One named benchmark of `share-bench`. Each lives in its own file; add it to ``all``.
struct Benchmark: Sendable {
    /// The name given on the command line, e.g. `wire`.
    var name: String
    /// One line for `share-bench --help`.
    var summary: String
    /// Runs the benchmark and prints its figures.
    var run: @Sendable () async throws -> Void

    /// Every benchmark, in the order `share-bench all` runs them.
    static let all: [Benchmark] = [
        Benchmark(
            name: "wire",
            summary: "form encode+decode of an OAuthTokenRequest vs Foundation JSONEncoder+JSONDecoder",
            run: { try WireCodecBenchmark().run() }
        ),
        Benchmark(
            name: "introspect",
            summary: "OAuthClient.introspect requests/s against the sandbox vs the official Python client (plaid-python)",
            run: { try await IntrospectBenchmark().run() }
        ),
    ]

    /// The command-line help.
    static var usage: String {
        var usage = "usage: share-bench BENCHMARK... | all\n       share-bench load --help   (mixed OAuth load: scripts/load, soak, crash-test)\n\nbenchmarks:\n"
        for benchmark in all { usage += "  \(benchmark.name)  \(benchmark.summary)\n" }
        return usage
    }
}
