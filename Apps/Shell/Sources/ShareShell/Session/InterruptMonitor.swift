import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C (SIGINT) into cancellation of the command that is running, so an interactive shell
/// survives it. Outside a running command, SIGINT is ignored: the line editor reads Ctrl-C as a key.
final class InterruptMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Task<Void, Never>?
    private var source: (any DispatchSourceSignal)?

    /// Starts listening for SIGINT.
    func start() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.interrupt() }
        source.resume()
        self.source = source
    }

    /// Stops listening and restores the default SIGINT behaviour.
    func stop() {
        source?.cancel()
        source = nil
        signal(SIGINT, SIG_DFL)
    }

    /// Runs `operation` so that a SIGINT during it cancels it.
    func run<T: Sendable>(_ operation: @escaping @Sendable () async -> T) async -> T {
        let box = ResultBox<T>()
        let task = Task { box.value = await operation() }
        lock.withLock { current = task }
        await task.value
        lock.withLock { current = nil }
        return box.value!
    }

    private func interrupt() {
        lock.withLock { current?.cancel() }
    }
}

/// Carries a task's result out of it.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
