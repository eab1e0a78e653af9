import Foundation

/// Latencies counted in logarithmic buckets 1 % wide (from 1 µs up), so that a long run keeps a
/// few thousand counters at most instead of every sample: a soak's load generator must not grow
/// with the number of requests it sends. Percentiles are read to within 1 %; the maximum is exact.
///
/// Hand-written: swift-metrics and swift-prometheus histograms take fixed bucket bounds and report
/// no percentiles.
struct LatencyHistogram: Sendable {
    /// Each bucket's upper bound is 1 % above its lower one.
    private static let growth = 1.01
    private static let smallest = 1e-6

    private var counts: [Int: Int] = [:]
    private(set) var count = 0
    private(set) var max = 0.0

    /// Counts one latency, in seconds.
    mutating func record(_ seconds: Double) {
        counts[Self.bucket(of: seconds), default: 0] += 1
        count += 1
        if seconds > max { max = seconds }
    }

    mutating func merge(_ other: LatencyHistogram) {
        for (bucket, number) in other.counts { counts[bucket, default: 0] += number }
        count += other.count
        max = Swift.max(max, other.max)
    }

    /// The nearest-rank percentile, in seconds: the middle of the bucket holding that rank, never
    /// above the maximum.
    func percentile(_ fraction: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = Swift.max(Int((Double(count) * fraction).rounded(.up)), 1)
        var seen = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket] ?? 0
            if seen >= rank { return Swift.min(Self.middle(of: bucket), max) }
        }
        return max
    }

    private static func bucket(of seconds: Double) -> Int {
        guard seconds > smallest else { return 0 }
        return Int((log(seconds / smallest) / log(growth)).rounded(.down)) + 1
    }

    private static func middle(of bucket: Int) -> Double {
        bucket == 0 ? smallest : smallest * pow(growth, Double(bucket) - 0.5)
    }
}
