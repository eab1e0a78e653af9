import NIOConcurrencyHelpers

/// Wakes a background loop of the sandbox (webhook delivery, retention) before its interval is
/// over: after events were stored (they are due for delivery at once), after the sandbox's clock
/// moved forward (deliveries may have become due, rows may have finished) or on shutdown.
///
/// A signal given while the loop is busy is kept, so the loop's next wait returns at once.
final class BackgroundLoopWakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// Ends the current wait, or the next one if none is under way.
    func signal() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after `duration`, on a ``signal()``, or when the task is cancelled, whichever
    /// comes first.
    func wait(upTo duration: Duration) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let generation = state.withLockedValue { state -> Int? in
                    if state.signalled {
                        state.signalled = false
                        return nil
                    }
                    state.generation += 1
                    state.waiter = continuation
                    return state.generation
                }
                guard let generation else { return continuation.resume() }
                Task { [self] in
                    try? await Task.sleep(for: duration)
                    timeOut(generation)
                }
            }
        } onCancel: {
            signal()
        }
    }

    private func timeOut(_ generation: Int) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
