import Foundation
import ShareSandbox

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(seconds: Int) { lock.withLock { current += TimeInterval(seconds) } }

    var sandboxClock: SandboxClock { SandboxClock { [self] in now } }
}
