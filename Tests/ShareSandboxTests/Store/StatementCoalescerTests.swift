import NIOConcurrencyHelpers
@testable import ShareSandboxPostgres
import Testing

/// `StatementCoalescer` around a statement that records its batches: every caller gets its own
/// answer, under load callers share statements, and a failing statement fails its own batch only.
@Suite("Statement coalescing: concurrent callers")
struct StatementCoalescerTests {
    /// The batches a statement ran and how many ran at once.
    final class Recorder: Sendable {
        struct Observed {
            var batches: [[Int]] = []
            var running = 0
            var mostRunning = 0
        }
        let observed = NIOLockedValueBox(Observed())

        /// Doubles each request after a short pause, so that callers pile up behind it.
        func statement(_ requests: [Int]) async throws -> [Int] {
            observed.withLockedValue {
                $0.batches.append(requests)
                $0.running += 1
                $0.mostRunning = max($0.mostRunning, $0.running)
            }
            try await Task.sleep(for: .milliseconds(5))
            observed.withLockedValue { $0.running -= 1 }
            if requests.contains(-1) { throw Refused() }
            return requests.map { $0 * 2 }
        }
    }

    struct Refused: Error {}

    @Test("400 concurrent callers each get their own answer, from far fewer statements, at most 2 at once")
    func concurrentCallersShareStatements() async throws {
        let recorder = Recorder()
        let coalescer = StatementCoalescer<Int, Int>(maximumRunning: 2, maximumBatch: 50) { try await recorder.statement($0) }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for request in 0..<400 { group.addTask { (request, try await coalescer.submit(request)) } }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 400)
        #expect(answers.allSatisfy { $0.value == $0.key * 2 })
        let observed = recorder.observed.withLockedValue { $0 }
        #expect(observed.mostRunning <= 2)
        #expect(observed.batches.allSatisfy { $0.count <= 50 })
        #expect(observed.batches.flatMap { $0 }.sorted() == Array(0..<400))
        #expect(observed.batches.count < 100)
    }

    @Test("a lone caller runs its own statement at once")
    func loneCallerRunsAlone() async throws {
        let recorder = Recorder()
        let coalescer = StatementCoalescer<Int, Int>(maximumRunning: 2, maximumBatch: 50) { try await recorder.statement($0) }
        #expect(try await coalescer.submit(21) == 42)
        #expect(try await coalescer.submit(4) == 8)
        #expect(recorder.observed.withLockedValue { $0.batches } == [[21], [4]])
    }

    @Test("a failing statement fails the callers of its batch, and later callers are answered")
    func failureStaysInItsBatch() async throws {
        let recorder = Recorder()
        let coalescer = StatementCoalescer<Int, Int>(maximumRunning: 1, maximumBatch: 50) { try await recorder.statement($0) }
        let outcomes = await withTaskGroup(of: (Int, Int?).self) { group in
            for request in [-1] + Array(1...40) { group.addTask { (request, try? await coalescer.submit(request)) } }
            return await group.reduce(into: [Int: Int?]()) { $0[$1.0] = .some($1.1) }
        }
        #expect(outcomes.count == 41)
        let batches = recorder.observed.withLockedValue { $0.batches }
        let failedBatch = try #require(batches.first { $0.contains(-1) })
        for (request, answer) in outcomes {
            if failedBatch.contains(request) { #expect(answer == nil) } else { #expect(answer == request * 2) }
        }
        #expect(try await coalescer.submit(5) == 10)
    }

    @Test("a statement answering another number of responses than requests fails its callers, never mixes answers")
    func mismatchedAnswersFail() async throws {
        let coalescer = StatementCoalescer<Int, Int>(maximumRunning: 1, maximumBatch: 50) { requests in
            Array(requests.dropFirst())
        }
        await #expect(throws: StatementCoalescerMismatch.self) { try await coalescer.submit(1) }
    }
}
