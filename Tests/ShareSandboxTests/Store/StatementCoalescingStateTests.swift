@testable import ShareSandboxPostgres
import ShareTestSupport
import Testing

/// The pure state of `StatementCoalescer`: who runs at once, who waits, and how waiters are
/// handed over.
@Suite("Statement coalescing: state")
struct StatementCoalescingStateTests {
    @Test("callers run at once while places are free; then they wait")
    func placesFillThenCallersWait() {
        var state = StatementCoalescingState<Int>(maximumRunning: 2, maximumBatch: 8)
        #expect(state.enter(1) == .run)
        #expect(state.enter(2) == .run)
        #expect(state.enter(3) == .wait)
        #expect(state.enter(4) == .wait)
        #expect(state.running == 2)
        #expect(state.waiting == [3, 4])
    }

    @Test("a finished statement hands its place to every waiter, in arrival order, as one batch")
    func finishHandsOverTheWaiters() {
        var state = StatementCoalescingState<Int>(maximumRunning: 1, maximumBatch: 8)
        #expect(state.enter(0) == .run)
        for waiter in 1...5 { #expect(state.enter(waiter) == .wait) }
        #expect(state.finish() == [1, 2, 3, 4, 5])
        // The place stays taken by the batch just handed over.
        #expect(state.running == 1)
        #expect(state.enter(6) == .wait)
        #expect(state.finish() == [6])
        #expect(state.finish() == nil)
        #expect(state.running == 0)
        // Free again: the next caller runs at once.
        #expect(state.enter(7) == .run)
    }

    @Test("a batch holds at most maximumBatch waiters; the rest go in the next")
    func batchesAreBounded() {
        var state = StatementCoalescingState<Int>(maximumRunning: 1, maximumBatch: 3)
        #expect(state.enter(0) == .run)
        for waiter in 1...7 { _ = state.enter(waiter) }
        #expect(state.finish() == [1, 2, 3])
        #expect(state.finish() == [4, 5, 6])
        #expect(state.finish() == [7])
        #expect(state.finish() == nil)
    }

    @Test("limits below 1 count as 1")
    func limitsAreAtLeastOne() {
        let state = StatementCoalescingState<Int>(maximumRunning: 0, maximumBatch: -4)
        #expect(state.maximumRunning == 1)
        #expect(state.maximumBatch == 1)
    }

    @Test("in any order of arrivals and finishes, each waiter is handed over exactly once and no place is lost", arguments: 0..<50)
    func everyWaiterIsHandedOverOnce(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var state = StatementCoalescingState<Int>(maximumRunning: 3, maximumBatch: 4)
        var handedOver: [Int] = []
        var ranAtOnce: [Int] = []
        var running = 0
        var next = 0
        for _ in 0..<400 {
            if running == 0 || random.next() % 2 == 0 {
                switch state.enter(next) {
                case .run:
                    ranAtOnce.append(next)
                    running += 1
                case .wait: break
                }
                next += 1
            } else if let batch = state.finish() {
                #expect(batch.count <= 4)
                handedOver += batch
            } else {
                running -= 1
            }
            #expect(state.running == running)
            #expect(state.running <= 3)
            // Nobody waits while a place is free.
            #expect(state.waiting.isEmpty || state.running == 3)
        }
        while running > 0 {
            if let batch = state.finish() { handedOver += batch } else { running -= 1 }
        }
        #expect(state.waiting.isEmpty)
        #expect((ranAtOnce + handedOver).sorted() == Array(0..<next))
        // Waiters are handed over in the order they arrived.
        #expect(handedOver == handedOver.sorted())
    }
}
