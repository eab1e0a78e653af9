import ShareCredentials
import ShareModels
import SharePartners
import ShareTransport
import ShareWire

/// The one error that ``OAuthClient``, ``ShareTokenClient``, ``SandboxControl`` and ``TokenManager`` throw: what
/// failed, where, and the detailed error underneath.
///
/// ```swift
/// do {
///     _ = try await client.refresh(refreshToken)
/// } catch where error.code == .apiRefused {   // `error` is the ShareClientError that refresh throws
///     print(error.status ?? 0, error.apiRequestID ?? "-")   // 400, the API's request_id
///     if (error.underlyingError as? OAuthError)?.code == .invalidGrant { /* a new grant is needed */ }
/// } catch {
///     throw error   // the rest, passed on explicitly (Swift 6.3 crashes without this catch)
/// }
/// ```
///
/// Modelled on swift-openapi-runtime's `ClientError`: the ``Code`` is open to new members, so a
/// `switch` over it has a `default`. Like every error here, it never holds a secret, a token or a
/// response body: its ``description`` is safe to log.
public struct ShareClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case apiRefused = "api_refused"
            case unreadableResponse = "unreadable_response"
            case transport
            case invalidRequest = "invalid_request"
            case credentials
            case partners
            case tokenFamilyRevoked = "token_family_revoked"
            case cancelled
        }

        private let base: Base

        /// The API answered with an error: ``OAuthError``, ``APIError`` or ``ShareTokenAPIError``
        /// underneath, with the HTTP ``ShareClientError/status``.
        public static let apiRefused = Code(base: .apiRefused)
        /// The API answered, but the answer could not be read (``ResponseDecodingError``).
        public static let unreadableResponse = Code(base: .unreadableResponse)
        /// No answer: the connection failed, the attempt timed out or the deadline passed
        /// (`TransportError`).
        public static let transport = Code(base: .transport)
        /// The request was refused before anything was sent (``InvalidRequestError``,
        /// `IdentifierError`, `WireError`).
        public static let invalidRequest = Code(base: .invalidRequest)
        /// The client's credentials are missing or unusable (`CredentialsError`).
        public static let credentials = Code(base: .credentials)
        /// The partners named for a share are unknown or refuse it (`PartnerRegistryError`).
        public static let partners = Code(base: .partners)
        /// A ``TokenManager`` can produce no more tokens (``TokenManagerError``).
        public static let tokenFamilyRevoked = Code(base: .tokenFamilyRevoked)
        /// The task was cancelled.
        public static let cancelled = Code(base: .cancelled)

        /// The code as a stable label, e.g. `api_refused` (usable as a metric dimension).
        public var description: String { base.rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// The operation that failed, e.g. `oauth.token` or `share-tokens.redeem`.
    public var operation: String
    /// The HTTP status of the API's answer, when there was one.
    public var status: Int?
    /// The `request_id` the API gave its answer, for a support ticket.
    public var apiRequestID: String?
    /// The `X-Request-Id` this client sent the request with, to find it in your own logs.
    public var clientRequestID: String?
    /// The detailed error: ``OAuthError``, ``APIError``, ``ShareTokenAPIError``,
    /// ``ResponseDecodingError``, ``InvalidRequestError``, ``TokenManagerError``, `TransportError`,
    /// `CredentialsError`, `PartnerRegistryError`, `IdentifierError`, `WireError` or
    /// `CancellationError`.
    public var underlyingError: any Error

    public init(
        code: Code, operation: String, status: Int? = nil, apiRequestID: String? = nil, clientRequestID: String? = nil,
        underlyingError: any Error
    ) {
        self.code = code
        self.operation = operation
        self.status = status
        self.apiRequestID = apiRequestID
        self.clientRequestID = clientRequestID
        self.underlyingError = underlyingError
    }

    /// `error` as a ``ShareClientError`` of `operation`, classified by its type; a
    /// ``ShareClientError`` is returned as it is.
    init(_ error: any Error, operation: String, clientRequestID: String? = nil) {
        if let error = error as? ShareClientError {
            self = error
            return
        }
        self.init(code: .transport, operation: operation, clientRequestID: clientRequestID, underlyingError: error)
        switch error {
        case let error as OAuthError:
            (code, status, apiRequestID) = (.apiRefused, error.status, error.requestID)
            self.clientRequestID = error.clientRequestID ?? clientRequestID
        case let error as APIError:
            (code, status, apiRequestID) = (.apiRefused, error.status, error.requestID)
            self.clientRequestID = error.clientRequestID ?? clientRequestID
        case let error as ShareTokenAPIError:
            (code, status) = (.apiRefused, error.status)
            self.clientRequestID = error.clientRequestID ?? clientRequestID
        case let error as ResponseDecodingError:
            (code, status, apiRequestID) = (.unreadableResponse, error.status, error.requestID)
            self.clientRequestID = error.clientRequestID ?? clientRequestID
        case is TransportError:
            code = .transport
        case is InvalidRequestError, is IdentifierError, is WireError:
            code = .invalidRequest
        case is CredentialsError:
            code = .credentials
        case is PartnerRegistryError:
            code = .partners
        case is TokenManagerError:
            code = .tokenFamilyRevoked
        case is CancellationError:
            code = .cancelled
        default:
            code = .transport
        }
    }

    public var description: String {
        var text = "\(underlyingError)"
        let operationNamed = text.hasPrefix(operation)
        if !operationNamed { text = "\(operation) failed: " + text }
        if let clientRequestID, !text.contains(clientRequestID) { text += " [X-Request-Id \(clientRequestID)]" }
        return text
    }
}
