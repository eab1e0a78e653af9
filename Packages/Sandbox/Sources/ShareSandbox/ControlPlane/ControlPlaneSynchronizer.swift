import Logging
import ServiceLifecycle

/// Keeps a sandbox's control plane in step with the store it shares with other sandboxes: runs
/// the store's ``SandboxControlStore/watchControlChanges(_:)`` and, on each change it reports,
/// reads the clock and the faults again (``SandboxServices/refreshControlPlane()``). A `Service`
/// of the sandbox's service group, when the control plane is on; with a store only one process
/// uses, it waits for the shutdown.
///
/// `ServiceGroup` logs each service as `"\(service)"`; the description is a fixed name.
struct ControlPlaneSynchronizer: Service, CustomStringConvertible {
    let services: SandboxServices

    var description: String { "ControlPlaneSynchronizer" }

    func run() async throws {
        let services = services
        let logger = services.configuration.logger
        try await cancelWhenGracefulShutdown {
            try await services.control.store.watchControlChanges {
                do {
                    try await services.refreshControlPlane()
                } catch {
                    // The next change, or the next (re)connection of the watch, reads again.
                    logger.warning("the control plane's state could not be read again", metadata: ["error.type": "\(type(of: error))"])
                }
            }
        }
        try? await gracefulShutdown()
    }
}
