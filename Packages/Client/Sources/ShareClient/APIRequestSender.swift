import Foundation
import HTTPTypes
import Logging
import ShareCredentials
import ShareModels
import ShareTransport
import ShareWire

/// The request-sending core every ShareKit API client is built on: it encodes a typed body,
/// places the credential, sends through the middleware stack under an ``OperationContext``, and
/// turns the answer into a typed response or a typed error.
///
/// `OAuthClient` uses it for the OAuth and user endpoints; a client of another API (a bearer API
/// key, JSON:API bodies) reuses it with its own ``APIOperation``s, credential and error decoding.
struct APIRequestSender: Sendable {
    let environment: APIEnvironment
    let credential: Credential?
    let placement: CredentialPlacement
    let transport: any HTTPTransport
    let logger: Logger
    let maximumResponseBytes: Int
    let userAgent: String
    /// Headers every request carries besides the standard ones (e.g. `Share-Organization`).
    let additionalHeaders: HTTPFields
    private let scheme: String
    private let authority: String
    private let basePath: String

    /// A sender on `transport` behind the standard middleware: request id, overall deadline,
    /// retries (logged), per-attempt logging and per-attempt timeout, outermost first.
    init(
        environment: APIEnvironment, credential: Credential?, placement: CredentialPlacement, transport: some HTTPTransport,
        retry: RetryPolicy, attemptTimeout: Duration, deadline: Duration, logger: Logger, maximumResponseBytes: Int, userAgent: String,
        additionalHeaders: HTTPFields = [:]
    ) {
        self.additionalHeaders = additionalHeaders
        self.environment = environment
        self.credential = credential
        self.placement = placement
        self.logger = logger
        self.maximumResponseBytes = maximumResponseBytes
        self.userAgent = userAgent
        self.transport = transport.with([
            RequestIDMiddleware(),
            DeadlineMiddleware(overall: deadline),
            RetryMiddleware(
                policy: retry,
                onRetry: { event in
                    var metadata: Logger.Metadata = ["attempt": "\(event.attempt)", "reason": "\(event.reason)", "delay": "\(event.delay)"]
                    if let operation = event.operation { metadata["operation"] = "\(operation)" }
                    if let id = event.requestID { metadata["request.id"] = "\(id)" }
                    logger.info("retrying request", metadata: metadata)
                }
            ),
            LoggingMiddleware(logger: logger),
            TimeoutMiddleware(perAttempt: attemptTimeout),
        ])
        let url = environment.baseURL
        scheme = url.scheme ?? "https"
        authority = (url.host ?? "") + (url.port.map { ":\($0)" } ?? "")
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }

    /// Sends `body` to `operation` and decodes a `Response`. Every failure is a
    /// ``ShareClientError`` over the detailed error (``OAuthError``, ``APIError``,
    /// ``ResponseDecodingError``, `TransportError`, `CredentialsError`, `WireError`, …).
    func send<Body: Encodable, Response: Decodable>(
        _ operation: APIOperation, body: Body, format: WireFormat, as _: Response.Type
    ) async throws(ShareClientError) -> Response {
        let encoded: [UInt8]
        do {
            encoded = try format.encode(body)
        } catch {
            throw ShareClientError(error, operation: operation.name)
        }
        return try await send(operation, encodedBody: encoded, format: format, as: Response.self)
    }

    /// Sends an already encoded body (or none, for a read) to `operation` and decodes a `Response`.
    func send<Response: Decodable>(
        _ operation: APIOperation, encodedBody: [UInt8]?, format: WireFormat = .json, as _: Response.Type
    ) async throws(ShareClientError) -> Response {
        let clientRequestID = RequestIDMiddleware.propagated.flatMap { $0.isEmpty ? nil : $0 } ?? RequestIDMiddleware.randomID()
        do {
            return try await exchange(operation, encodedBody: encodedBody, format: format, clientRequestID: clientRequestID, as: Response.self)
        } catch {
            throw ShareClientError(error, operation: operation.name, clientRequestID: clientRequestID)
        }
    }

    private func exchange<Response: Decodable>(
        _ operation: APIOperation, encodedBody: [UInt8]?, format: WireFormat, clientRequestID: String, as _: Response.Type
    ) async throws -> Response {
        var bytes = encodedBody
        var request = HTTPRequest(method: operation.method, scheme: scheme, authority: authority, path: basePath + operation.path)
        if bytes != nil { request.headerFields[.contentType] = operation.mediaType ?? format.contentType }
        request.headerFields[.accept] = operation.mediaType ?? "application/json"
        request.headerFields[.userAgent] = userAgent
        request.headerFields[Self.plaidVersion] = "2020-09-14"
        request.headerFields[.requestID] = clientRequestID
        request.headerFields.append(contentsOf: additionalHeaders)
        if operation.bodyMayHoldCredentials {
            if let credential {
                try placement.apply(credential, to: &request, body: &bytes)
            } else {
                try CredentialPlacement.removeCredentials(from: &request, body: &bytes)
            }
        } else {
            // The body's fields are data: credentials are placed (or removed) in headers only.
            var noBody: [UInt8]? = nil
            if let credential {
                try placement.apply(credential, to: &request, body: &noBody)
            } else {
                try CredentialPlacement.removeCredentials(from: &request, body: &noBody)
            }
            guard noBody == nil else {
                throw CredentialsError(.unsupportedPlacement, "\(operation.name) sends credentials in a header (HTTP Basic or bearer), not in the body")
            }
        }
        let context = OperationContext(name: operation.name, isIdempotent: operation.isIdempotent)
        let started = ContinuousClock.now
        let sendable = request
        let requestBody = bytes.map { HTTPBody($0) }
        let (response, responseBody): (HTTPResponse, [UInt8])
        do {
            (response, responseBody) = try await OperationContext.$current.withValue(context) {
                let (head, body) = try await transport.send(sendable, body: requestBody)
                return (head, try await body?.collect(upTo: maximumResponseBytes) ?? [])
            }
        } catch {
            logger.debug(
                "request failed",
                metadata: ["operation": "\(operation.name)", "request.id": "\(clientRequestID)", "error": "\(Self.loggable(error))"]
            )
            throw error
        }
        // The metadata is built only when a line will be written: decoding the API's request_id
        // for it would otherwise parse every response twice.
        var metadata: Logger.Metadata = [:]
        if logger.logLevel <= .debug {
            metadata = [
                "operation": "\(operation.name)", "http.status": "\(response.status.code)",
                "duration_ms": "\(started.duration(to: .now).milliseconds)", "request.id": "\(clientRequestID)",
            ]
            if let apiRequestID = Self.apiRequestID(in: responseBody) { metadata["api.request_id"] = "\(apiRequestID)" }
        }

        guard response.status.kind == .successful else {
            let error = decodeError(operation, response: response, body: responseBody, clientRequestID: clientRequestID)
            metadata["error"] = "\(error)"
            logger.debug("request refused", metadata: metadata)
            throw error
        }
        do {
            let decoded = try WireJSON.decode(Response.self, from: responseBody)
            logger.debug("request succeeded", metadata: metadata)
            return decoded
        } catch {
            let failure = ResponseDecodingError(
                operation: operation.name, status: response.status.code, field: error.codingPath.joined(separator: "."),
                reason: error.reason, requestID: Self.apiRequestID(in: responseBody), clientRequestID: clientRequestID
            )
            metadata["error"] = "\(failure)"
            logger.debug("response unreadable", metadata: metadata)
            throw failure
        }
    }

    private func decodeError(_ operation: APIOperation, response: HTTPResponse, body: [UInt8], clientRequestID: String) -> any Error {
        let status = response.status.code
        let oauth = { () -> OAuthError? in
            guard let decoded = try? WireJSON.decode(OAuthErrorResponse.self, from: body) else { return nil }
            return OAuthError(
                code: decoded.error, errorDescription: decoded.errorDescription, requestID: decoded.requestID, status: status,
                operation: operation.name, clientRequestID: clientRequestID
            )
        }
        let api = { () -> APIError? in
            guard let decoded = try? WireJSON.decode(APIErrorResponse.self, from: body) else { return nil }
            return APIError(response: decoded, status: status, operation: operation.name, clientRequestID: clientRequestID)
        }
        let found: (any Error)? =
            switch operation.errorShape {
            case .oauth: oauth() ?? api()
            case .api: api() ?? oauth()
            case .custom(let decode): decode(status, body, operation.name, clientRequestID) ?? oauth()
            }
        return found
            ?? ResponseDecodingError(
                operation: operation.name, status: status, field: "",
                reason: "HTTP \(status) with a body in neither error shape",
                requestID: Self.apiRequestID(in: body), clientRequestID: clientRequestID
            )
    }

    /// The API's `request_id` in a response body, if it has one.
    static func apiRequestID(in body: [UInt8]) -> String? {
        (try? WireJSON.decode(RequestIDOnly.self, from: body))?.requestID
    }

    /// A short, secret-free form of an error for a log line.
    static func loggable(_ error: any Error) -> String {
        switch error {
        case let error as TransportError: error.description
        case let error as CredentialsError: error.description
        case let error as WireError: error.description
        case is CancellationError: "cancelled"
        default: String(describing: type(of: error))
        }
    }

    static let plaidVersion = HTTPField.Name("Plaid-Version")!
}

/// Reads only `request_id` from any response body.
private struct RequestIDOnly: Decodable {
    var requestID: String?
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
