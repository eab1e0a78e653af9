import AsyncHTTPClient
import ServiceLifecycle

/// Owns the gateway's `HTTPClient`s: keeps them alive while the server runs and shuts it
/// down after the server has finished its in-flight requests (services stop in reverse order,
/// and this one is registered before the server).
struct HTTPClientService: Service {
    let clients: [HTTPClient]

    func run() async throws {
        try? await gracefulShutdown()
        for client in clients { try await client.shutdown() }
    }
}
