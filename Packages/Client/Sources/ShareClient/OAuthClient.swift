public import Logging
public import ShareCredentials
public import ShareModels
public import SharePartners
public import ShareTransport
public import ShareWire

/// Calls the OAuth API: issue, refresh and exchange tokens, introspect and revoke them, create
/// users, and share a user's consumer report with partners.
///
/// ```swift
/// try await AHCTransport.withTransport { transport in
///     let client = OAuthClient(
///         environment: .sandbox,
///         credentials: try EnvironmentCredentialsProvider().requireClientCredentials(),
///         transport: transport,
///         partners: try PartnerRegistry([Experian(), FannieMae(), FreddieMac()]),
///         logger: logger
///     )
///     let grant = try await client.share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae, .experian], scope: .read)
///     print(grant)   // tokens print redacted
/// }
/// ```
///
/// Every request gets an `X-Request-Id`, a per-attempt timeout and an overall deadline.
/// Introspection and revocation are retried after 429/502/503/504 and connection failures; token
/// grants are not, unless the caller passes `retryable: true`. Every call throws one error type,
/// ``ShareClientError``: its ``ShareClientError/code`` says what kind of failure, and its
/// ``ShareClientError/underlyingError`` holds the detail (``OAuthError``, ``APIError``,
/// ``ResponseDecodingError``, `TransportError`, `CredentialsError`, `PartnerRegistryError`). None
/// of them, and no log line, holds a secret or a token.
public struct OAuthClient: Sendable {
    /// Behaviour that rarely needs changing.
    public struct Configuration: Sendable {
        /// The body format of the OAuth endpoints: JSON (default) or form. `/user/create` is always JSON.
        public var format: WireFormat
        /// Where the client id and secret travel. Default: `PLAID-CLIENT-ID`/`PLAID-SECRET` headers.
        public var credentialPlacement: CredentialPlacement
        /// Retries of the requests that are safe to repeat.
        public var retry: RetryPolicy
        /// The longest one attempt may wait for a response. Default 10 seconds.
        public var attemptTimeout: Duration
        /// The longest a call may take, retries included. Default 30 seconds.
        public var deadline: Duration
        /// The largest response body read. Default 1 MiB.
        public var maximumResponseBytes: Int
        /// The `User-Agent` header.
        public var userAgent: String

        public init(
            format: WireFormat = .json,
            credentialPlacement: CredentialPlacement = .headers,
            retry: RetryPolicy = .default,
            attemptTimeout: Duration = .seconds(10),
            deadline: Duration = .seconds(30),
            maximumResponseBytes: Int = 1 << 20,
            userAgent: String = "ShareKit/1.0"
        ) {
            self.format = format
            self.credentialPlacement = credentialPlacement
            self.retry = retry
            self.attemptTimeout = attemptTimeout
            self.deadline = deadline
            self.maximumResponseBytes = maximumResponseBytes
            self.userAgent = userAgent
        }
    }

    /// The API deployment called.
    public var environment: APIEnvironment { sender.environment }
    /// The client id requests are made as, when credentials were given.
    public let clientID: String?
    /// The partners `share(user:with:clients:scope:)` knows.
    public let partners: PartnerRegistry
    public let configuration: Configuration
    let sender: APIRequestSender

    /// A client of `environment`.
    ///
    /// - Parameters:
    ///   - environment: The API deployment: `.sandbox`, `.production` or `.custom(URL)`.
    ///   - credentials: The client id and secret; `nil` sends none (behind a gateway that adds them).
    ///   - transport: Sends the requests; share one (e.g. an `AHCTransport`) across clients.
    ///   - partners: The partners that `share(user:with:clients:scope:)` may name.
    ///   - logger: Receives `debug` and `trace` lines about each call; never secrets or tokens.
    ///   - configuration: Body format, credential placement, retries, timeouts.
    public init(
        environment: APIEnvironment,
        credentials: ClientCredentials?,
        transport: some HTTPTransport,
        partners: PartnerRegistry = .empty,
        logger: Logger = Logger(label: "sharekit.client", factory: { _ in SwiftLogNoOpLogHandler() }),
        configuration: Configuration = .init()
    ) {
        self.clientID = credentials?.clientID
        self.partners = partners
        self.configuration = configuration
        sender = APIRequestSender(
            environment: environment, credential: credentials.map(Credential.client), placement: configuration.credentialPlacement,
            transport: transport, retry: configuration.retry, attemptTimeout: configuration.attemptTimeout,
            deadline: configuration.deadline, logger: logger, maximumResponseBytes: configuration.maximumResponseBytes,
            userAgent: configuration.userAgent
        )
    }

    /// A client whose credentials come from `provider` (e.g. a `CredentialsChain` of the
    /// environment and a file).
    ///
    /// - Throws: ``ShareClientError`` with code ``ShareClientError/Code/credentials`` over a
    ///   `CredentialsError` naming every place looked, when the provider has none.
    public init(
        environment: APIEnvironment,
        credentialsFrom provider: some CredentialsProvider,
        transport: some HTTPTransport,
        partners: PartnerRegistry = .empty,
        logger: Logger = Logger(label: "sharekit.client", factory: { _ in SwiftLogNoOpLogHandler() }),
        configuration: Configuration = .init()
    ) throws(ShareClientError) {
        let credentials: ClientCredentials
        do {
            credentials = try provider.requireClientCredentials()
        } catch {
            throw ShareClientError(error, operation: "credentials")
        }
        self.init(
            environment: environment, credentials: credentials, transport: transport, partners: partners, logger: logger,
            configuration: configuration
        )
    }

    // MARK: Endpoints

    /// `/oauth/token`: issues, refreshes or exchanges a token as `request` says.
    ///
    /// - Parameters:
    ///   - request: The grant or exchange to ask for.
    ///   - retryable: Whether a transient failure may send the request again. Off by default: a
    ///     grant may spend a refresh token, and a repeated refresh would then look like reuse and
    ///     revoke the whole token family.
    public func token(_ request: OAuthTokenRequest, retryable: Bool = false) async throws(ShareClientError) -> OAuthTokenResponse {
        try await sender.send(
            APIOperation(name: "oauth.token", path: "/oauth/token", isIdempotent: retryable, errorShape: .oauth),
            body: request, format: configuration.format, as: OAuthTokenResponse.self
        )
    }

    /// `/oauth/introspect`: what the API knows about `token` (an inactive token answers
    /// `active == false`, not an error).
    public func introspect(_ token: String) async throws(ShareClientError) -> OAuthIntrospectResponse {
        try await sender.send(
            APIOperation(name: "oauth.introspect", path: "/oauth/introspect", isIdempotent: true, errorShape: .oauth),
            body: OAuthIntrospectRequest(token: token), format: configuration.format, as: OAuthIntrospectResponse.self
        )
    }

    /// `/oauth/revoke`: revokes `token`, and for a refresh token every token derived from it.
    /// Revoking an unknown token succeeds.
    @discardableResult
    public func revoke(_ token: String) async throws(ShareClientError) -> OAuthRevokeResponse {
        try await sender.send(
            APIOperation(name: "oauth.revoke", path: "/oauth/revoke", isIdempotent: true, errorShape: .oauth),
            body: OAuthRevokeRequest(token: token), format: configuration.format, as: OAuthRevokeResponse.self
        )
    }

    /// `/user/create`: a user whose consumer report can then be shared. Checked locally first
    /// (`client_user_id` must be 1–128 characters); never retried.
    public func createUser(_ request: UserCreateRequest) async throws(ShareClientError) -> UserCreateResponse {
        if let problem = request.validationProblem {
            throw ShareClientError(InvalidRequestError(operation: "user.create", reason: problem), operation: "user.create")
        }
        return try await sender.send(
            APIOperation(name: "user.create", path: "/user/create", isIdempotent: false, errorShape: .api),
            body: request, format: .json, as: UserCreateResponse.self
        )
    }

    /// `/user/create` for your own identifier of the user.
    public func createUser(clientUserID: String) async throws(ShareClientError) -> UserCreateResponse {
        try await createUser(UserCreateRequest(clientUserID: clientUserID))
    }
}

/// A request the client refused to send because it is invalid; nothing reached the network.
public struct InvalidRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation, e.g. `user.create`.
    public var operation: String
    /// What is wrong.
    public var reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }
}
