import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Builds and starts the sandbox: the router and application for tests and apps, and an
/// in-process server on a loopback port for the shell and the gateway.
///
/// ```swift
/// // In tests, without sockets:
/// let app = try await SandboxServer.buildApplication(configuration: configuration)
/// try await app.test(.router) { client in   // HummingbirdTesting
///     try await client.execute(uri: "/healthz", method: .get) { response in print(response.status) }   // 200 OK
/// }
///
/// // In process, on a free port, for the duration of a closure:
/// try await SandboxServer.withRunningSandbox(configuration: .init(port: 0, partners: partners)) { sandbox in
///     print(sandbox.url)
/// }
/// ```
public enum SandboxServer {
    /// The realm named in `WWW-Authenticate` challenges.
    public static let realm = "sharekit-sandbox"

    /// The router serving every sandbox endpoint from `services`.
    public static func buildRouter(services: SandboxServices) -> Router<SandboxRequestContext> {
        let configuration = services.configuration
        let oauth = OAuthRoutes(
            authority: services.authority,
            authenticator: services.authenticator,
            bodyReader: RequestBodyReader(maximumSize: configuration.maximumBodySize)
        )
        let service = ServiceRoutes(
            partners: configuration.partners.adapters.map(\.audienceURN.rawValue),
            clientIDs: configuration.effectiveClients.map(\.id),
            controlPlane: configuration.controlPlane
        )
        // HEAD answers wherever GET does: the GET route runs and its body is dropped, keeping its
        // status and headers (RFC 9110 §9.3.2).
        let router = Router(context: SandboxRequestContext.self, options: .autoGenerateHeadEndpoints)
        let controlPlane = configuration.controlPlane
        var paths = OAuthRoutes.paths.merging(ServiceRoutes.paths) { $0 + $1 }.merging(ShareTokenRoutes.paths) { $0 + $1 }
        if controlPlane { paths.merge(SandboxControlRoutes.paths) { $0 + $1 } }
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: SandboxErrorMiddleware(allowedMethods: paths, realm: realm, controlPlane: controlPlane))
        if controlPlane {
            router.add(
                middleware: FaultInjectionMiddleware(control: services.control, maximumBodySize: configuration.maximumBodySize, realm: realm))
        }
        oauth.add(to: router)
        service.add(to: router)
        ShareTokenRoutes(
            authority: services.shareTokens, maximumBodySize: configuration.maximumBodySize, realm: realm,
            conventions: APIConventions(services: services)
        )
        .add(to: router)
        if controlPlane {
            SandboxControlRoutes(services: services, bodyReader: RequestBodyReader(maximumSize: configuration.maximumBodySize))
                .add(to: router)
        }
        return router
    }

    /// The sandbox application for `configuration`, ready to `runService()` or to test.
    public static func buildApplication(
        configuration: SandboxConfiguration,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        application(services: try await SandboxServices(configuration: configuration), onServerRunning: onServerRunning)
    }

    /// The sandbox application for `configuration`, keeping its state in `store` (opened and
    /// running: a store of another module, such as the PostgreSQL one), ready to `runService()`.
    public static func buildApplication(
        configuration: SandboxConfiguration, store: any SandboxStore,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        application(services: try await SandboxServices(configuration: configuration, store: store), onServerRunning: onServerRunning)
    }

    private static func application(
        services: SandboxServices, onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) -> some ApplicationProtocol {
        let configuration = services.configuration
        let limits = configuration.connectionLimits
        let logger = configuration.logger
        return Application(
            router: buildRouter(services: services),
            server: .http1(
                configuration: HTTP1Channel.Configuration(
                    additionalChannelHandlers: [ConnectionDeadlineHandler(limits: limits, logger: logger)],
                    idleTimeout: TimeAmount(limits.idleTimeout)
                )
            ),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "ShareKit-Sandbox",
                // At the cap the server stops accepting; new connections wait in the backlog.
                // Accept errors such as EMFILE already back off (NIO's ServerBootstrap adds an
                // AcceptBackoffHandler to every server channel).
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maximumConnections, logger: logger)
            ),
            services: backgroundServices(services),
            onServerRunning: onServerRunning,
            logger: configuration.logger
        )
    }

    /// What runs beside the server: the webhook deliveries and, with the control plane on, its
    /// synchronizer (``ControlPlaneSynchronizer``).
    private static func backgroundServices(_ services: SandboxServices) -> [any Service] {
        var background: [any Service] = [services.webhookDelivery]
        if let retention = services.retention { background.append(retention) }
        if services.configuration.controlPlane { background.append(ControlPlaneSynchronizer(services: services)) }
        return background
    }

    /// Starts a sandbox in this process and returns once it accepts connections. Use port `0`
    /// for a free port; ``RunningSandbox/url`` tells which one was bound.
    public static func start(configuration: SandboxConfiguration) async throws -> RunningSandbox {
        let (ports, portContinuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let app = try await buildApplication(configuration: configuration) { channel in
            portContinuation.yield(channel.localAddress?.port ?? configuration.port)
            portContinuation.finish()
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], logger: configuration.logger)
        )
        let task = Task {
            do {
                try await group.run()
                portContinuation.finish(throwing: SandboxStartError(reason: "the server stopped before it was ready"))
            } catch {
                portContinuation.finish(throwing: error)
                throw error
            }
        }
        do {
            var iterator = ports.makeAsyncIterator()
            guard let port = try await iterator.next() else {
                throw SandboxStartError(reason: "the server stopped before it was ready")
            }
            return RunningSandbox(host: configuration.host, port: port, group: group, task: task)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }
}
