/// A benchmark that could not produce a meaningful figure.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
