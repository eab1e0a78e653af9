import Foundation
public import Logging
public import ShareCredentials
public import ShareModels
public import ShareTransport
import HTTPTypes
public import ShareWire
import ShareCore

/// Calls the share-token API (`/api/v1/connect/share-tokens`) as one organization: create a
/// share token for a record, redeem one made for you (and wait for the redemption to finish),
/// read, list and expire them; and the Connections API (`/api/v1/connect/connections`).
///
/// ```swift
/// try await AHCTransport.withTransport { transport in
///     let sandbox = APIEnvironment.custom(URL(string: "http://127.0.0.1:8080")!)
///     let lenderTokens = ShareTokenClient(environment: sandbox, apiKey: APIKey("demo-lender-api-key"), transport: transport)
///     let token = try await lenderTokens.create(connectionID: try ConnectionID("cxn_demo"),
///                                               sourceID: try SourceID("inq_demo"), ttl: try ShareTokenTTL(seconds: 3600))
///     for try await page in lenderTokens.list(status: .created) { print(page.map(\.id)) }
///     // As the destination: redemption is asynchronous; wait until it has finished.
///     let bankTokens = ShareTokenClient(environment: sandbox, apiKey: APIKey("demo-bank-api-key"), transport: transport)
///     let redeemed = try await bankTokens.waitForRedemption(try await bankTokens.redeem(token.id).id)
///     print(redeemed.status, redeemed.destinationID as Any)
/// }
/// ```
///
/// The API key travels as `Authorization: Bearer …` and never appears in a log line or an
/// error. Refusals are ``ShareTokenAPIError``s carrying the JSON:API `errors`; reads are retried
/// after transient failures, state changes are not.
public struct ShareTokenClient: Sendable {
    /// Behaviour that rarely needs changing.
    public struct Configuration: Sendable {
        /// Retries of the requests that are safe to repeat (reads).
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
            retry: RetryPolicy = .default, attemptTimeout: Duration = .seconds(10), deadline: Duration = .seconds(30),
            maximumResponseBytes: Int = 1 << 20, userAgent: String = "ShareKit/1.0"
        ) {
            self.retry = retry
            self.attemptTimeout = attemptTimeout
            self.deadline = deadline
            self.maximumResponseBytes = maximumResponseBytes
            self.userAgent = userAgent
        }
    }

    /// The media type sent and accepted: JSON:API's.
    static let mediaType = "application/vnd.api+json"

    /// The path of the share-token collection.
    public static let collectionPath = "/api/v1/connect/share-tokens"

    /// The header a share-gateway reads to choose whose API key it injects.
    static let organizationHeader = HTTPField.Name("Share-Organization")!

    /// The API deployment called.
    public var environment: APIEnvironment { sender.environment }
    public let configuration: Configuration
    /// The organization chosen with `Share-Organization` (behind a share-gateway), if any.
    public let organization: OrganizationID?
    let sender: APIRequestSender

    /// A client of `environment` acting as the organization whose key is `apiKey`.
    ///
    /// - Parameters:
    ///   - environment: The API deployment, e.g. `.custom(URL)` for a sandbox or a gateway.
    ///   - apiKey: The organization's API key; `nil` sends none (behind a gateway that adds it).
    ///   - transport: Sends the requests; share one (e.g. an `AHCTransport`) across clients.
    ///   - logger: Receives `debug` lines about each call; never the key.
    ///   - configuration: Timeouts, retries and the largest answer read.
    ///   - organization: Behind a share-gateway that holds several organizations' API keys, the
    ///     one to act as: sent as the `Share-Organization` header, so the gateway injects that
    ///     organization's key. `nil` (the default) sends no header: the gateway's default
    ///     organization, or the one of `apiKey` when calling the API directly.
    public init(
        environment: APIEnvironment,
        apiKey: APIKey?,
        transport: some HTTPTransport,
        logger: Logger = Logger(label: "sharekit.share-tokens", factory: { _ in SwiftLogNoOpLogHandler() }),
        configuration: Configuration = .init(),
        organization: OrganizationID? = nil
    ) {
        self.configuration = configuration
        self.organization = organization
        var headers = HTTPFields()
        if let organization { headers[Self.organizationHeader] = organization.rawValue }
        sender = APIRequestSender(
            environment: environment, credential: apiKey.map(Credential.apiKey), placement: .bearer, transport: transport,
            retry: configuration.retry, attemptTimeout: configuration.attemptTimeout, deadline: configuration.deadline,
            logger: logger, maximumResponseBytes: configuration.maximumResponseBytes, userAgent: configuration.userAgent,
            additionalHeaders: headers)
    }

    // MARK: Endpoints

    /// `POST /api/v1/connect/share-tokens`: a share token of `sourceID` (an inquiry, transaction,
    /// account or verification of yours) that only the destination of `connectionID` can redeem. `ttl`
    /// defaults to 14 days on the server.
    public func create(connectionID: ConnectionID, sourceID: SourceID, ttl: ShareTokenTTL? = nil) async throws(ShareClientError) -> ShareToken {
        try await create(ShareTokenCreateAttributes(connectionID: connectionID, sourceID: sourceID, ttl: ttl))
    }

    /// `POST /api/v1/connect/share-tokens` with `attributes` as they are (an out-of-range
    /// `expiresInSeconds` is the server's to refuse).
    public func create(_ attributes: ShareTokenCreateAttributes) async throws(ShareClientError) -> ShareToken {
        let body = JSONAPIRequestDocument(type: ShareToken.resourceType, attributes: attributes)
        return try await send("share-tokens.create", Self.collectionPath, method: .post, idempotent: false, body: body)
    }

    /// `POST …/{id}/redeem`: starts copying the shared record into `destinationID` (a new record
    /// when `nil`) and answers the token `pending`; the import finishes later as `redeemed` or
    /// `failed` (see ``waitForRedemption(_:timeout:interval:)``). Only the connection's
    /// destination may redeem.
    public func redeem(_ id: ShareTokenID, destinationID: SourceID? = nil) async throws(ShareClientError) -> ShareToken {
        let body = JSONAPIRequestDocument(type: ShareToken.resourceType, attributes: ShareTokenRedeemAttributes(destinationID: destinationID))
        return try await send("share-tokens.redeem", "\(Self.collectionPath)/\(id)/redeem", method: .post, idempotent: false, body: body)
    }

    /// Reads share token `id` every `interval` until it is no longer `pending`, and answers it;
    /// when `timeout` passes first, answers it as last read (still `pending`).
    ///
    /// - Parameters:
    ///   - id: The share token whose redemption was requested.
    ///   - timeout: The longest to wait. Default 10 seconds.
    ///   - interval: The pause between reads. Default 100 milliseconds.
    public func waitForRedemption(_ id: ShareTokenID, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(100))
        async throws(ShareClientError) -> ShareToken
    {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let token = try await get(id)
            guard token.status == .pending, clock.now < deadline else { return token }
            do {
                try await Task.sleep(for: min(interval, clock.now.duration(to: deadline)))
            } catch {
                throw ShareClientError(error, operation: "share-tokens.wait")
            }
        }
    }

    /// `GET …/{id}`: the share token as your organization sees it.
    public func get(_ id: ShareTokenID) async throws(ShareClientError) -> ShareToken {
        try await send("share-tokens.get", "\(Self.collectionPath)/\(id)", method: .get, idempotent: true)
    }

    /// `POST …/{id}/expire`: ends a share token you created before it is redeemed.
    public func expire(_ id: ShareTokenID) async throws(ShareClientError) -> ShareToken {
        try await send("share-tokens.expire", "\(Self.collectionPath)/\(id)/expire", method: .post, idempotent: true)
    }

    /// `GET …`: the share tokens your organization sees (both directions unless `direction` says),
    /// newest first, as an `AsyncSequence` of pages of at most `pageSize` that follows the API's
    /// `links.next` until the last page, or, from a `.before` `start`, its `links.prev` until
    /// the first.
    public func list(
        connectionID: ConnectionID? = nil, status: ShareTokenStatus? = nil, direction: ShareTokenDirection? = nil, pageSize: Int? = nil,
        start: ShareTokenPageCursor? = nil
    ) -> ShareTokenPages {
        ShareTokenPages(client: self, connectionID: connectionID, status: status, direction: direction, pageSize: pageSize, start: start)
    }

    /// One page of ``list(connectionID:status:direction:pageSize:start:)``, starting after `after`.
    public func page(
        connectionID: ConnectionID? = nil, status: ShareTokenStatus? = nil, direction: ShareTokenDirection? = nil, pageSize: Int? = nil,
        after: ShareTokenID? = nil
    ) async throws(ShareClientError) -> (tokens: [ShareToken], next: ShareTokenID?) {
        let page = try await page(
            connectionID: connectionID, status: status, direction: direction, pageSize: pageSize, cursor: after.map { .after($0) })
        guard case .after(let next) = page.next else { return (page.tokens, nil) }
        return (page.tokens, next)
    }

    /// One page of ``list(connectionID:status:direction:pageSize:start:)`` at `cursor` (the
    /// newest tokens when `nil`), with the cursors of the pages around it.
    public func page(
        connectionID: ConnectionID? = nil, status: ShareTokenStatus? = nil, direction: ShareTokenDirection? = nil, pageSize: Int? = nil,
        cursor: ShareTokenPageCursor?
    ) async throws(ShareClientError) -> ShareTokenPage {
        var query: [(String, String)] = []
        if let connectionID { query.append(("filter[connection-id]", connectionID.rawValue)) }
        if let status { query.append(("filter[status]", status.rawValue)) }
        if let direction { query.append(("filter[direction]", direction.rawValue)) }
        if let pageSize { query.append(("page[size]", String(pageSize))) }
        switch cursor {
        case .after(let id): query.append(("page[after]", id.rawValue))
        case .before(let id): query.append(("page[before]", id.rawValue))
        case nil: break
        }
        let path = Self.collectionPath + (query.isEmpty ? "" : "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&"))
        let operation = APIOperation(
            name: "share-tokens.list", path: path, method: .get, isIdempotent: true, errorShape: Self.errorShape, mediaType: Self.mediaType)
        let document = try await sender.send(operation, encodedBody: nil, as: JSONAPIListDocument<ShareToken>.self)
        return ShareTokenPage(
            tokens: document.data, links: document.links,
            next: document.links.next.flatMap(Self.cursor(inNextLink:)).map { .after($0) },
            previous: document.links.prev.flatMap { Self.value(of: "page[before]", inLink: $0) }.flatMap(ShareTokenID.init(rawValue:))
                .map { .before($0) })
    }

    /// One page of the caller's events, newest first, as the API answered it (`document`: `data`
    /// holds the events as JSON, their payloads differing by name, and `links` the URLs of the
    /// pages around it), and the cursor of the next page.
    /// - Parameters:
    ///   - pageSize: Events per page (1 to 100; the API's default when `nil`).
    ///   - after: The event the page starts after (the newest events when `nil`).
    public func eventPage(pageSize: Int? = nil, after: EventID? = nil) async throws(ShareClientError)
        -> (document: JSONAPIListDocument<JSONValue>, next: EventID?)
    {
        var query: [(String, String)] = []
        if let pageSize { query.append(("page[size]", String(pageSize))) }
        if let after { query.append(("page[after]", after.rawValue)) }
        let path = "/api/v1/events" + (query.isEmpty ? "" : "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&"))
        let operation = APIOperation(
            name: "events.list", path: path, method: .get, isIdempotent: true, errorShape: Self.errorShape, mediaType: Self.mediaType)
        let document = try await sender.send(operation, encodedBody: nil, as: JSONAPIListDocument<JSONValue>.self)
        let next = document.links.next.flatMap { Self.value(of: "page[after]", inLink: $0) }.flatMap(EventID.init(rawValue:))
        return (document, next)
    }

    /// `GET /api/v1/events`: a page of your organization's events, newest first, as JSON (share-token
    /// events carry the token as their payload, `inquiry.completed` the inquiry), and the cursor of
    /// the next page.
    public func events(pageSize: Int? = nil, after: EventID? = nil) async throws(ShareClientError) -> (events: [JSONValue], next: EventID?) {
        let (document, next) = try await eventPage(pageSize: pageSize, after: after)
        return (document.data, next)
    }

    // MARK: Sending

    /// Sends nothing and decodes the resource of the answer.
    func send<Resource: Codable & Sendable & Hashable>(
        _ name: String, _ path: String, method: HTTPRequest.Method, idempotent: Bool, as: Resource.Type = ShareToken.self
    ) async throws(ShareClientError) -> Resource {
        let operation = APIOperation(
            name: name, path: path, method: method, isIdempotent: idempotent, errorShape: Self.errorShape, mediaType: Self.mediaType)
        return try await sender.send(operation, encodedBody: nil, as: JSONAPIDocument<Resource>.self).data
    }

    /// Sends `body` as JSON and decodes the resource of the answer.
    func send<Resource: Codable & Sendable & Hashable>(
        _ name: String, _ path: String, method: HTTPRequest.Method, idempotent: Bool, body: some Encodable,
        as: Resource.Type = ShareToken.self
    ) async throws(ShareClientError) -> Resource {
        let operation = APIOperation(
            name: name, path: path, method: method, isIdempotent: idempotent, errorShape: Self.errorShape, mediaType: Self.mediaType)
        return try await sender.send(operation, body: body, format: .json, as: JSONAPIDocument<Resource>.self).data
    }

    /// Error answers are JSON:API error documents.
    static let errorShape = APIOperation.ErrorShape.custom { status, body, operation, clientRequestID in
        guard let document = try? WireJSON.decode(JSONAPIErrorDocument.self, from: body), !document.errors.isEmpty else { return nil }
        return ShareTokenAPIError(errors: document.errors, status: status, operation: operation, clientRequestID: clientRequestID)
    }

    /// The `page[after]` value of a `links.next` URL.
    static func cursor(inNextLink link: String) -> ShareTokenID? {
        value(of: "page[after]", inLink: link).flatMap(ShareTokenID.init(rawValue:))
    }

    /// The decoded value of query parameter `name` in `link`.
    static func value(of name: String, inLink link: String) -> String? {
        guard let query = link.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { PercentCoding.decode($0, plus: .literal) ?? String($0) }
            if parts.count == 2, parts[0] == name { return parts[1] }
        }
        return nil
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
