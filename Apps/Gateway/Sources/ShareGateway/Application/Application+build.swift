import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ServiceLifecycle
import SharePartners

/// The partners this app knows, registered explicitly.
public func makePartnerRegistry() -> PartnerRegistry {
    // The three built-in adapters have distinct ids and URNs, so this cannot fail.
    try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
}

/// The pieces a running gateway is made of, resolved from a ``GatewayConfiguration``.
public struct GatewayComponents: Sendable {
    public let configuration: GatewayConfiguration
    public let metrics: GatewayMetrics
    /// A shared client (the first of ``upstreamClients``), for requests off the hot path.
    public let httpClient: HTTPClient
    let upstreamClients: UpstreamClients
    /// The upstream base URL actually used.
    public let upstreamBaseURL: String
    let forwarder: UpstreamForwarder
    let audiencePolicy: AudiencePolicy
    let rateLimiter: TokenBucketRateLimiter
    let registry: PartnerRegistry
    /// The client id injected upstream (shown by the console; not a secret).
    let injectedClientID: String?

    /// Validates `configuration` and creates the shared client. `upstreamBaseURL` overrides the
    /// configured upstream (used for the embedded sandbox, whose port is known only once it runs).
    public init(
        configuration: GatewayConfiguration,
        upstreamBaseURL: String? = nil,
        credentials: UpstreamCredentials? = nil,
        registry: PartnerRegistry = makePartnerRegistry(),
        metrics: GatewayMetrics = GatewayMetrics()
    ) throws(GatewayConfigurationError) {
        try configuration.validate()
        guard let baseURL = upstreamBaseURL ?? configuration.upstream.baseURL else {
            throw GatewayConfigurationError("the embedded upstream needs the sandbox's address")
        }
        do {
            audiencePolicy = try AudiencePolicy(allowing: configuration.allowedAudiences, registry: registry)
        } catch {
            throw GatewayConfigurationError("--allow-audience: \(error.description)")
        }
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.decompression = .disabled
        clientConfiguration.timeout.connect = .seconds(5)
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512)
        // A refused connection is answered 502 at once rather than retried until the deadline.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        clientConfiguration.httpVersion = .automatic
        // One client per event loop, so a request's upstream connection lives on the loop the
        // request is being handled on (see ``UpstreamClients``).
        let clients = UpstreamClients(group: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration)
        self.configuration = configuration
        self.metrics = metrics
        self.upstreamClients = clients
        self.httpClient = clients.any
        self.upstreamBaseURL = baseURL
        self.rateLimiter = TokenBucketRateLimiter(configuration: configuration.rateLimit)
        self.registry = registry
        self.injectedClientID = (credentials ?? configuration.credentials).client?.clientID
        self.forwarder = UpstreamForwarder(
            clients: clients, baseURL: baseURL, timeout: configuration.upstreamTimeout,
            credentials: credentials ?? configuration.credentials)
    }
}

/// The router: operations endpoints, with ``GatewayMiddleware`` in front of everything.
public func buildRouter(components: GatewayComponents) -> Router<GatewayRequestContext> {
    let configuration = components.configuration
    let router = Router(context: GatewayRequestContext.self)
    router.add(
        middleware: GatewayMiddleware(
            allowlist: configuration.allowedPaths,
            cors: configuration.cors,
            frontendKeys: FrontendKeys(configuration.frontendKeys),
            rateLimiter: components.rateLimiter,
            audiencePolicy: components.audiencePolicy,
            maximumBodySize: configuration.maximumBodySize,
            forwarder: components.forwarder,
            metrics: components.metrics,
            accessLog: configuration.accessLog,
            servesConsole: configuration.servesConsole,
            boundHost: configuration.host
        )
    )
    OperationsRoutes(forwarder: components.forwarder, metrics: components.metrics).register(on: router)
    if configuration.servesConsole {
        ConsoleRoutes(partners: components.registry, clientID: components.injectedClientID).register(on: router)
    }
    return router
}

/// The gateway application: the server, the shared HTTP client's lifecycle and any `services`
/// (e.g. the embedded sandbox), shut down gracefully in reverse order — the server first, after
/// its in-flight requests finish.
public func buildApplication(
    components: GatewayComponents,
    services: [any Service] = [],
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "share-gateway")
    logger.logLevel = components.configuration.logLevel
    let configuration = components.configuration
    return Application(
        router: buildRouter(components: components),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "share-gateway"
        ),
        services: [HTTPClientService(clients: components.upstreamClients.all)] + services,
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// Builds the gateway for `configuration` against a remote upstream (not `embedded`).
public func buildApplication(configuration: GatewayConfiguration, logger: Logger? = nil) throws -> some ApplicationProtocol {
    buildApplication(components: try GatewayComponents(configuration: configuration), logger: logger)
}
