/// Measures how many times per second operations run.
///
/// A few dozen lines instead of `ordo-one/package-benchmark`: that package needs its own build
/// plugin, jemalloc and a `Benchmarks/` layout of its own, and what these benchmarks need is one
/// number per operation from the same process, so that two implementations are compared on
/// equal terms.
struct Throughput {
    /// How long each measured round of one operation lasts.
    var roundDuration: Duration = .milliseconds(250)
    /// How many rounds of each operation are measured.
    var rounds = 12

    /// Operations per second of each of `operations`, measured in alternating rounds so that a
    /// busy machine slows them alike; each figure is the operation's best round (the least
    /// disturbed by other work). A warm-up round of each comes first.
    func compare(_ operations: [() throws -> Void]) throws -> [Double] {
        let clock = ContinuousClock()
        var batches: [Int] = []
        for operation in operations {
            // A batch size that runs for about a millisecond, so the clock is read rarely.
            var batch = 1
            while batch < 1 << 24 {
                let elapsed = try clock.measure { for _ in 0..<batch { try operation() } }
                if elapsed >= .milliseconds(1) { break }
                batch *= 2
            }
            batches.append(batch)
        }
        var best = [Double](repeating: 0, count: operations.count)
        for round in 0...rounds {
            for (index, operation) in operations.enumerated() {
                var count = 0
                let start = clock.now
                var elapsed = Duration.zero
                while elapsed < roundDuration {
                    for _ in 0..<batches[index] { try operation() }
                    count += batches[index]
                    elapsed = clock.now - start
                }
                if round > 0 { best[index] = max(best[index], Double(count) / elapsed.seconds) }
            }
        }
        return best
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
