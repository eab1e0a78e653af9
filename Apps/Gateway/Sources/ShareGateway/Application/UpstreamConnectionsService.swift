import AsyncHTTPClient
import ServiceLifecycle

/// Owns the gateway's upstream connections: the forwarding pools and the readiness check's
/// `HTTPClient`. Keeps them while the server runs and closes them after the server has finished
/// its in-flight requests (services stop in reverse order, and this one is registered before the
/// server).
struct UpstreamConnectionsService: Service {
    let pools: UpstreamPools
    let readinessClient: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        await pools.shutdown()
        try await readinessClient.shutdown()
    }
}
