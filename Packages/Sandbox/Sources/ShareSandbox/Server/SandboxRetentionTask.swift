import Foundation
import Logging
import ServiceLifecycle

/// Purges the store of what finished more than the retention ago
/// (``SandboxRetentionStore/purge(finishedBefore:batchSize:)``), in the background of a running
/// sandbox (a `Service` of its service group): at start, then every
/// ``SandboxRetention/interval``, and at once after the sandbox's clock moved forward
/// (``wake()``). The cutoff is read from the sandbox's clock (``SandboxTimeline``), so that
/// `POST /sandbox/clock/advance` makes rows eligible.
///
/// Every sandbox sharing a store may run one: the deletions are idempotent. `ServiceGroup` logs
/// each service as `"\(service)"`; the description is therefore a fixed name.
public struct SandboxRetentionTask: Service, CustomStringConvertible {
    let store: any SandboxRetentionStore
    let retention: SandboxRetention
    let clock: SandboxClock
    let logger: Logger
    let wakeup = BackgroundLoopWakeup()

    public init(store: any SandboxRetentionStore, retention: SandboxRetention, clock: SandboxClock, logger: Logger) {
        self.store = store
        self.retention = retention
        self.clock = clock
        self.logger = logger
    }

    public var description: String { "SandboxRetentionTask" }

    /// Purges now rather than at the end of the interval: after the sandbox's clock moved forward.
    public func wake() { wakeup.signal() }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await purgeOnce()
                await wakeup.wait(upTo: retention.interval)
            }
        }
    }

    /// One purge with the cutoff the clock gives now; failures are logged (type only) and the
    /// next purge tries again.
    @discardableResult
    public func purgeOnce() async -> SandboxPurge? {
        let cutoff = clock.now().addingTimeInterval(-TimeInterval(retention.seconds))
        do {
            let purge = try await store.purge(finishedBefore: cutoff, batchSize: retention.batchSize)
            if purge.total > 0 {
                logger.info(
                    "retention purge",
                    metadata: [
                        "tokens": "\(purge.tokens)", "share_tokens": "\(purge.shareTokens)", "events": "\(purge.events)",
                        "workflow_runs": "\(purge.workflowRuns)",
                    ])
            }
            return purge
        } catch {
            if !Task.isCancelled { logger.error("retention purge failed", metadata: ["error.type": "\(type(of: error))"]) }
            return nil
        }
    }
}
