/// Which of the statements callers ask for run now, and which wait to run together: the state of
/// ``StatementCoalescer``, as a pure value.
///
/// At most ``maximumRunning`` statements run at once. A caller that finds one of those places free
/// takes it and runs its own statement at once, so a sandbox under light load adds no waiting to
/// any request. A caller that finds them all taken waits; when a running statement finishes, its
/// place goes to every waiting caller at once (up to ``maximumBatch``), as one statement. Under load
/// many requests then share one round trip, and the database and the connection pool each see one
/// statement instead of many.
///
/// Every waiting caller is handed over exactly once, in the order it arrived, and a place is kept
/// while anyone waits, so no caller waits for a place that nobody will hand over.
struct StatementCoalescingState<Waiter> {
    /// What a caller does after ``enter(_:)``.
    enum Entry {
        /// A place was free: run the caller's statement now (the waiter was not kept).
        case run
        /// Every place is taken: the waiter was kept and is handed over by ``finish()``.
        case wait
    }

    let maximumRunning: Int
    let maximumBatch: Int
    private(set) var running = 0
    private(set) var waiting: [Waiter] = []

    /// At most `maximumRunning` statements at once (at least 1), each for at most `maximumBatch`
    /// waiters (at least 1).
    init(maximumRunning: Int, maximumBatch: Int) {
        self.maximumRunning = max(1, maximumRunning)
        self.maximumBatch = max(1, maximumBatch)
    }

    /// A caller arrives with `waiter`.
    mutating func enter(_ waiter: Waiter) -> Entry {
        if running < maximumRunning {
            running += 1
            return .run
        }
        waiting.append(waiter)
        return .wait
    }

    /// A statement finished: the waiters to run next, as one statement in the same place, or `nil`
    /// when nobody waits and the place is free again.
    mutating func finish() -> [Waiter]? {
        precondition(running > 0, "finish() without a running statement")
        if waiting.isEmpty {
            running -= 1
            return nil
        }
        let count = min(maximumBatch, waiting.count)
        let batch = Array(waiting.prefix(count))
        waiting.removeFirst(count)
        return batch
    }
}

extension StatementCoalescingState: Sendable where Waiter: Sendable {}
