public import Logging
public import ShareCredentials
public import ShareModels
public import ShareTransport
import HTTPTypes

/// Drives a sandbox's control plane (`/sandbox/…`) from a test suite: moves its clock, injects
/// failures into its answers, redelivers events, sends test webhooks and resets it to its start
/// state.
///
/// ```swift
/// let sandbox = SandboxControl(environment: .custom(url), credentials: demo, transport: transport)
/// try await sandbox.addFault(.status(503, path: "/oauth/token", times: 2))
/// try await sandbox.advance(days: 14)
/// try await sandbox.reset()
/// ```
///
/// It authenticates as any OAuth client the sandbox knows (HTTP Basic) or with any
/// organization's API key (`Authorization: Bearer`). Refusals are ``APIError``s (Plaid's error
/// object) under a ``ShareClientError``; a sandbox started with `--no-control-plane` answers 404.
/// Reads are retried after transient failures; changes are not, so that a clock is never
/// advanced twice.
public struct SandboxControl: Sendable {
    /// Behaviour that rarely needs changing.
    public struct Configuration: Sendable {
        /// Retries of the reads (`clock()`, `faults()`).
        public var retry: RetryPolicy
        /// The longest one attempt may wait for a response. Default 10 seconds.
        public var attemptTimeout: Duration
        /// The longest a call may take, retries included. Default 30 seconds.
        public var deadline: Duration
        /// The `User-Agent` header.
        public var userAgent: String

        public init(
            retry: RetryPolicy = .default, attemptTimeout: Duration = .seconds(10), deadline: Duration = .seconds(30),
            userAgent: String = "ShareKit/1.0"
        ) {
            self.retry = retry
            self.attemptTimeout = attemptTimeout
            self.deadline = deadline
            self.userAgent = userAgent
        }
    }

    /// The path every control-plane route starts with.
    public static let pathPrefix = "/sandbox"

    /// The sandbox called.
    public var environment: APIEnvironment { sender.environment }
    public let configuration: Configuration
    let sender: APIRequestSender

    /// A client of the sandbox at `environment`, authenticating as an OAuth client.
    ///
    /// - Parameters:
    ///   - environment: The sandbox, e.g. `.custom(URL(string: sandbox.url)!)`.
    ///   - credentials: Any registered client's id and secret, sent with HTTP Basic; `nil` sends
    ///     none (behind a share-gateway that adds them).
    ///   - transport: Sends the requests; share one (e.g. an `AHCTransport`) across clients.
    ///   - logger: Receives `debug` lines about each call; never the secret.
    ///   - configuration: Timeouts and retries.
    public init(
        environment: APIEnvironment,
        credentials: ClientCredentials?,
        transport: some HTTPTransport,
        logger: Logger = Logger(label: "sharekit.sandbox-control", factory: { _ in SwiftLogNoOpLogHandler() }),
        configuration: Configuration = .init()
    ) {
        self.init(
            environment: environment, credential: credentials.map(Credential.client), placement: .basic, transport: transport,
            logger: logger, configuration: configuration)
    }

    /// A client of the sandbox at `environment`, authenticating with an organization's API key.
    ///
    /// - Parameters:
    ///   - environment: The sandbox, e.g. `.custom(URL(string: sandbox.url)!)`.
    ///   - apiKey: Any organization's API key, sent as `Authorization: Bearer …`.
    ///   - transport: Sends the requests; share one (e.g. an `AHCTransport`) across clients.
    ///   - logger: Receives `debug` lines about each call; never the key.
    ///   - configuration: Timeouts and retries.
    public init(
        environment: APIEnvironment,
        apiKey: APIKey,
        transport: some HTTPTransport,
        logger: Logger = Logger(label: "sharekit.sandbox-control", factory: { _ in SwiftLogNoOpLogHandler() }),
        configuration: Configuration = .init()
    ) {
        self.init(
            environment: environment, credential: .apiKey(apiKey), placement: .bearer, transport: transport, logger: logger,
            configuration: configuration)
    }

    private init(
        environment: APIEnvironment, credential: Credential?, placement: CredentialPlacement, transport: some HTTPTransport, logger: Logger,
        configuration: Configuration
    ) {
        self.configuration = configuration
        sender = APIRequestSender(
            environment: environment, credential: credential, placement: placement, transport: transport, retry: configuration.retry,
            attemptTimeout: configuration.attemptTimeout, deadline: configuration.deadline, logger: logger,
            maximumResponseBytes: 1 << 20, userAgent: configuration.userAgent)
    }

    // MARK: Clock

    /// `GET /sandbox/clock`: the sandbox's current time and how far it runs ahead.
    public func clock() async throws(ShareClientError) -> Clock {
        try await send("sandbox.clock", "/clock", method: .get, idempotent: true, as: Clock.self)
    }

    /// `POST /sandbox/clock/advance`: moves the sandbox's time `duration` forward (whole seconds;
    /// a fraction is dropped). Tokens, share tokens and events then age as if that time had passed.
    @discardableResult
    public func advance(by duration: Duration) async throws(ShareClientError) -> Clock {
        try await advance(seconds: Int(duration.components.seconds))
    }

    /// `POST /sandbox/clock/advance` by `seconds`.
    @discardableResult
    public func advance(seconds: Int) async throws(ShareClientError) -> Clock {
        try await send("sandbox.clock.advance", "/clock/advance", body: ClockAdvance(seconds: seconds), as: Clock.self)
    }

    /// `POST /sandbox/clock/advance` by whole days (`86_400 × days` seconds).
    @discardableResult
    public func advance(days: Int) async throws(ShareClientError) -> Clock {
        try await advance(seconds: days * 86_400)
    }

    /// `POST /sandbox/clock/reset`: the sandbox's time is the real time again.
    @discardableResult
    public func resetClock() async throws(ShareClientError) -> Clock {
        try await send("sandbox.clock.reset", "/clock/reset", method: .post, idempotent: true, as: Clock.self)
    }

    // MARK: Faults

    /// `POST /sandbox/faults`: injects `fault` (its ``Fault/id`` is ignored) and answers
    /// it as the sandbox keeps it, with its `flt_…` id.
    @discardableResult
    public func addFault(_ fault: Fault) async throws(ShareClientError) -> Fault {
        var request = fault
        request.id = nil
        request.remaining = nil
        return try await send("sandbox.faults.add", "/faults", body: request, as: Fault.self)
    }

    /// `GET /sandbox/faults`: the faults still active, each with the number of requests it will
    /// still apply to.
    public func faults() async throws(ShareClientError) -> [Fault] {
        try await send("sandbox.faults.list", "/faults", method: .get, idempotent: true, as: FaultList.self).faults
    }

    /// `DELETE /sandbox/faults/{id}`: removes one fault, answering it as it was.
    @discardableResult
    public func removeFault(id: String) async throws(ShareClientError) -> Fault {
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
        guard (1...64).contains(id.utf8.count), id.utf8.allSatisfy(allowed) else {
            throw ShareClientError(
                InvalidRequestError(operation: "sandbox.faults.remove", reason: "a fault id is letters, digits and _, e.g. flt_…"),
                operation: "sandbox.faults.remove")
        }
        return try await send("sandbox.faults.remove", "/faults/\(id)", method: .delete, idempotent: true, as: Fault.self)
    }

    /// `DELETE /sandbox/faults`: removes every fault, answering how many there were.
    @discardableResult
    public func removeAllFaults() async throws(ShareClientError) -> Int {
        try await send("sandbox.faults.clear", "/faults", method: .delete, idempotent: true, as: FaultRemoval.self).removed
    }

    // MARK: Events and webhooks

    /// `POST /sandbox/events/{id}/redeliver`: sends event `id`'s webhook to its organization's
    /// endpoint again, answering how the receiver took it.
    @discardableResult
    public func redeliverEvent(id: EventID) async throws(ShareClientError) -> WebhookDelivery {
        try await send(
            "sandbox.events.redeliver", "/events/\(id.rawValue)/redeliver", method: .post, idempotent: false, as: WebhookDelivery.self)
    }

    /// `POST /sandbox/webhooks/test`: sends a sample event named `name` (e.g.
    /// `connect/share-token.outbound-redeemed`) to `organization`'s webhook endpoint, signed as
    /// the real ones are, answering how the receiver took it.
    @discardableResult
    public func sendTestWebhook(organization: OrganizationID, name: String) async throws(ShareClientError) -> WebhookDelivery {
        try await send(
            "sandbox.webhooks.test", "/webhooks/test", body: TestWebhook(organization: organization.rawValue, name: name),
            as: WebhookDelivery.self)
    }

    // MARK: Reset

    /// `POST /sandbox/reset`: the sandbox's configured start state again — tokens and share tokens
    /// issued since are gone, faults cleared, the clock reset — answering the clock.
    @discardableResult
    public func reset() async throws(ShareClientError) -> Clock {
        try await send("sandbox.reset", "/reset", method: .post, idempotent: true, as: ResetAnswer.self).clock
    }

    // MARK: Sending

    private func send<Response: Decodable>(
        _ name: String, _ path: String, method: HTTPRequest.Method, idempotent: Bool, as: Response.Type
    ) async throws(ShareClientError) -> Response {
        let operation = APIOperation(
            name: name, path: Self.pathPrefix + path, method: method, isIdempotent: idempotent, errorShape: .api,
            bodyMayHoldCredentials: false)
        return try await sender.send(operation, encodedBody: nil, as: Response.self)
    }

    private func send<Response: Decodable>(
        _ name: String, _ path: String, body: some Encodable, as: Response.Type
    ) async throws(ShareClientError) -> Response {
        // A fault's `client_id` is the client to fault, not a credential: the body goes as it is.
        let operation = APIOperation(
            name: name, path: Self.pathPrefix + path, method: .post, isIdempotent: false, errorShape: .api, bodyMayHoldCredentials: false)
        return try await sender.send(operation, body: body, format: .json, as: Response.self)
    }

    private struct ClockAdvance: Encodable {
        var seconds: Int
    }

    private struct TestWebhook: Encodable {
        var organization: String
        var name: String
    }

    private struct FaultList: Decodable {
        var faults: [Fault]
    }

    private struct FaultRemoval: Decodable {
        var removed: Int
    }

    private struct ResetAnswer: Decodable {
        var clock: Clock
    }
}
