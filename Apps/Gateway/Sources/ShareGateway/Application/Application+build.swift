import AsyncHTTPClient
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ServiceLifecycle
import SharePartners
import ShareSandbox

/// The partners this app knows, registered explicitly.
public func makePartnerRegistry() -> PartnerRegistry {
    // The three built-in adapters have distinct ids and URNs, so this cannot fail.
    try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
}

/// The pieces a running gateway is made of, resolved from a ``GatewayConfiguration``.
public struct GatewayComponents: Sendable {
    public let configuration: GatewayConfiguration
    public let metrics: GatewayMetrics
    /// The client `/readyz` asks the upstream with (forwarding uses ``pools``).
    public let httpClient: HTTPClient
    /// The upstream base URL actually used.
    public let upstreamBaseURL: String
    let policy: ForwardingPolicy
    let pools: UpstreamPools
    let registry: PartnerRegistry
    /// The client id injected upstream (shown by the console; not a secret).
    let injectedClientID: String?
    /// The organizations the console may act as (`Share-Organization`), the default first.
    let organizationIDs: [String]
    /// The scopes registered for the injected client, when the gateway knows them (the embedded
    /// sandbox's demo client); `nil` otherwise.
    let clientScopes: [String]?
    /// The HTTPS certificate, when the gateway serves HTTPS.
    public let tls: ReloadableServerTLS?

    /// Validates `configuration` and sets up the upstream connections. `upstreamBaseURL`
    /// overrides the configured upstream (used for the embedded sandbox, whose port is known only
    /// once it runs).
    public init(
        configuration: GatewayConfiguration,
        upstreamBaseURL: String? = nil,
        credentials: UpstreamCredentials? = nil,
        registry: PartnerRegistry = makePartnerRegistry(),
        metrics: GatewayMetrics = GatewayMetrics(),
        clientScopes: [String]? = nil
    ) throws(GatewayConfigurationError) {
        try configuration.validate()
        guard let baseURL = upstreamBaseURL ?? configuration.upstream.baseURL else {
            throw GatewayConfigurationError("the embedded upstream needs the sandbox's address")
        }
        let audiencePolicy: AudiencePolicy
        do {
            audiencePolicy = try AudiencePolicy(allowing: configuration.allowedAudiences, registry: registry)
        } catch {
            throw GatewayConfigurationError("--allow-audience: \(error.description)")
        }
        let target = try UpstreamTarget(baseURL: baseURL)
        if let certificateFile = configuration.tlsCertificateFile, let keyFile = configuration.tlsKeyFile {
            self.tls = try ReloadableServerTLS(certificateFile: certificateFile, keyFile: keyFile)
        } else {
            self.tls = nil
        }
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout.connect = .seconds(5)
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        if let caFile = configuration.upstreamCAFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(caFile)]
            clientConfiguration.tlsConfiguration = tls
        }
        self.pools = try UpstreamPools(target: target, caFile: configuration.upstreamCAFile)
        self.configuration = configuration
        self.metrics = metrics
        // Created last: nothing may throw after it, or it would be dropped without a shutdown.
        self.httpClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration)
        self.upstreamBaseURL = baseURL
        self.policy = ForwardingPolicy(
            configuration: configuration, upstream: target, credentials: credentials ?? configuration.credentials,
            audiencePolicy: audiencePolicy, rateLimiter: TokenBucketRateLimiter(configuration: configuration.rateLimit))
        self.registry = registry
        self.injectedClientID = (credentials ?? configuration.credentials).client?.clientID
        self.organizationIDs = (credentials ?? configuration.credentials).organizationIDs
        self.clientScopes = clientScopes
    }
}

/// The router: operations endpoints, with ``GatewayMiddleware`` in front of them. Forwarded
/// requests never reach it: ``ForwardingHandler`` answers them in the channel pipeline.
public func buildRouter(components: GatewayComponents) -> Router<GatewayRequestContext> {
    let configuration = components.configuration
    // HEAD answers wherever GET does, with GET's head and no body (RFC 9110 §9.3.2).
    let router = Router(context: GatewayRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: GatewayMiddleware(policy: components.policy, metrics: components.metrics, accessLog: configuration.accessLog))
    OperationsRoutes(
        readiness: ReadinessProbe(client: components.httpClient, baseURL: components.upstreamBaseURL),
        metrics: components.metrics, metricsToken: configuration.metricsToken
    ).register(on: router)
    if configuration.servesConsole {
        ConsoleRoutes(
            partners: components.registry, clientID: components.injectedClientID, organizations: components.organizationIDs,
            clientScopes: components.clientScopes
        ).register(on: router)
    }
    return router
}

/// The gateway application: the server — a ``ForwardingHandler`` in each connection's pipeline
/// in front of the router — the upstream connections' lifecycle and any `services` (e.g. the
/// embedded sandbox), shut down gracefully in reverse order: the server first, after its
/// in-flight requests finish.
///
/// The server accepts at most ``ClientConnectionLimits/maximumConnections`` connections at once
/// (Hummingbird's `MaximumAvailableConnections`: beyond it, new connections wait in the listen
/// backlog until others close), derived from the process's open-file limit when not configured.
public func buildApplication(
    components: GatewayComponents,
    services: [any Service] = [],
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "share-gateway")
    logger.logLevel = components.configuration.logLevel
    let configuration = components.configuration
    let limits = configuration.connectionLimits
    let maximumConnections = limits.resolvedMaximumConnections(fileDescriptorLimit: FileDescriptorLimit.softLimit)
    let forwarder = GatewayForwarder(
        policy: components.policy, pools: components.pools, metrics: components.metrics,
        upstreamTimeout: configuration.upstreamTimeout, limits: limits,
        maximumConnectionsPerClient: limits.resolvedMaximumConnectionsPerClient(maximumConnections: maximumConnections),
        accessLogger: configuration.accessLog ? logger : nil)
    return Application(
        router: buildRouter(components: components),
        server: HTTPServerBuilder { responder in GatewayHTTPChannel(responder: responder, forwarder: forwarder, tls: components.tls) },
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "share-gateway",
            availableConnectionsDelegate: MaximumAvailableConnections(maximumConnections, logger: logger)
        ),
        services: [UpstreamConnectionsService(pools: components.pools, readinessClient: components.httpClient)]
            + (components.tls.map { [CertificateReloadService(tls: $0, logger: logger)] } ?? []) + services,
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// Builds the gateway for `configuration` against a remote upstream (not `embedded`).
public func buildApplication(configuration: GatewayConfiguration, logger: Logger? = nil) throws -> some ApplicationProtocol {
    buildApplication(components: try GatewayComponents(configuration: configuration), logger: logger)
}
