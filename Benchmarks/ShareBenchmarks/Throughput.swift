/// Measures how many times per second an operation runs.
///
/// A few dozen lines instead of `ordo-one/package-benchmark`: that package needs its own build
/// plugin, jemalloc and a `Benchmarks/` layout of its own, and what these benchmarks need is one
/// number per operation from the same process, so that two codecs are compared on equal terms.
struct Throughput {
    /// How long each measured round lasts.
    var roundDuration: Duration = .milliseconds(400)
    /// How many rounds are measured; the best round is reported (the least disturbed by other work
    /// on the machine).
    var rounds = 5

    /// Operations per second of `operation`, after a warm-up round.
    func measure(_ operation: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        // Calibrate a batch size that runs for about a millisecond, so the clock is read rarely.
        var batch = 1
        while true {
            let elapsed = try clock.measure { for _ in 0..<batch { try operation() } }
            if elapsed >= .milliseconds(1) || batch >= 1 << 24 { break }
            batch *= 2
        }
        var best = 0.0
        for round in 0...rounds {
            var operations = 0
            let start = clock.now
            var elapsed = Duration.zero
            while elapsed < roundDuration {
                for _ in 0..<batch { try operation() }
                operations += batch
                elapsed = clock.now - start
            }
            let perSecond = Double(operations) / elapsed.seconds
            if round > 0 { best = max(best, perSecond) }  // round 0 warms up
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
