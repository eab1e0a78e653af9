
/// A server `share-bench introspect` starts in-process, measures against, and stops.
protocol BenchmarkServer: Sendable {
    var url: String { get }
    func shutdown() async throws
}

extension FixedAnswerResponder: BenchmarkServer {}
