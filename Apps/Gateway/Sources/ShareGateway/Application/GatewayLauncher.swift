import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import ShareCredentials
import ShareSandbox

/// Starts what a configuration asks for: with `--upstream embedded`, a sandbox in this process
/// on a free loopback port (with its demo client's credentials and demo API key injected), then the gateway in
/// front of it. The sandbox stops after the gateway has finished its in-flight requests.
public enum GatewayLauncher {
    ///
    /// `onReady` gets the ``GatewayAnnouncement/ready(configuration:port:upstreamURL:)`` line
    /// once the gateway listens.
    public static func makeApplication(
        configuration: GatewayConfiguration, logger: Logger, onReady: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        guard configuration.upstream == .embedded else {
            let components = try GatewayComponents(configuration: configuration)
            return buildApplication(components: components, logger: logger, onServerRunning: announcer(components, onReady))
        }
        let registry = makePartnerRegistry()
        var sandboxLogger = logger
        sandboxLogger[metadataKey: "component"] = "embedded-sandbox"
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(host: "127.0.0.1", port: 0, partners: registry, logger: sandboxLogger))
        logger.notice("embedded sandbox started", metadata: ["url": .string(sandbox.url)])
        do {
            let components = try GatewayComponents(
                configuration: configuration,
                upstreamBaseURL: sandbox.url,
                credentials: embeddedCredentials,
                registry: registry,
                clientScopes: SandboxDemo.scopes.map(\.rawValue)
            )
            return buildApplication(
                components: components, services: [EmbeddedSandboxService(sandbox: sandbox)], logger: logger,
                onServerRunning: announcer(components, onReady))
        } catch {
            try? await sandbox.shutdown()
            throw error
        }
    }

    /// Calls `onReady` with the ready line for the port the server's channel listens on.
    private static func announcer(
        _ components: GatewayComponents, _ onReady: @escaping @Sendable (String) -> Void
    ) -> @Sendable (any Channel) async -> Void {
        let configuration = components.configuration
        let upstreamURL = components.upstreamBaseURL
        return { channel in
            let port = channel.localAddress?.port ?? configuration.port
            onReady(GatewayAnnouncement.ready(configuration: configuration, port: port, upstreamURL: upstreamURL))
        }
    }

    /// The sandbox's public demo client, its demo lender's share-token API key (the default), and
    /// both demo organizations, for `Share-Organization`.
    public static let embeddedCredentials = UpstreamCredentials(
        client: ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret),
        apiKey: APIKey(ShareTokenDemo.sourceAPIKey),
        organizations: ShareTokenDemo.seed.organizations.map { .init(id: $0.id, apiKey: APIKey($0.apiKey)) })
}

/// Keeps an in-process sandbox running until graceful shutdown, then stops it.
struct EmbeddedSandboxService: Service {
    let sandbox: RunningSandbox

    func run() async throws {
        try? await gracefulShutdown()
        try await sandbox.shutdown()
    }
}
