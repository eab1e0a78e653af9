import AsyncHTTPClient
import ServiceLifecycle

/// Owns the gateway's shared `HTTPClient`: keeps it alive while the server runs and shuts it
/// down after the server has finished its in-flight requests (services stop in reverse order,
/// and this one is registered before the server).
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
