import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareModels

extension OAuthErrorCode {
    /// No such route: the path is neither forwarded nor answered by this gateway (404), from the
    /// allowlist and the operations router alike.
    static let notFound: OAuthErrorCode = "not_found"
    /// The path is forwarded, but not for this method (405, with `Allow`).
    static let methodNotAllowed: OAuthErrorCode = "method_not_allowed"
    /// The request did not arrive in time (408).
    static let requestTimeout: OAuthErrorCode = "request_timeout"
    /// The metrics endpoint needs its bearer token (401).
    static let invalidMetricsToken: OAuthErrorCode = "invalid_metrics_token"
    /// The request body exceeds the gateway's limit (413).
    static let requestTooLarge: OAuthErrorCode = "request_too_large"
    /// The body's content type or encoding cannot be inspected (415).
    static let unsupportedMediaType: OAuthErrorCode = "unsupported_media_type"
    /// The client sent too many requests (429).
    static let rateLimited: OAuthErrorCode = "rate_limited"
    /// The browser origin is not allowed (403).
    static let originNotAllowed: OAuthErrorCode = "origin_not_allowed"
    /// A frontend key is required and the request had none or a wrong one (401).
    static let invalidGatewayKey: OAuthErrorCode = "invalid_gateway_key"
    /// The upstream could not be reached or broke the connection (502).
    static let upstreamUnavailable: OAuthErrorCode = "upstream_unavailable"
    /// The upstream refused the credentials the gateway injects (502): a gateway configuration
    /// error, not the client's.
    static let upstreamCredentialsRejected: OAuthErrorCode = "upstream_credentials_rejected"
    /// `Share-Organization` names an organization the gateway has no API key for.
    static let unknownOrganization: OAuthErrorCode = "unknown_organization"
    /// The upstream did not answer in time (504).
    static let upstreamTimeout: OAuthErrorCode = "upstream_timeout"
}

/// A request the gateway answers itself, in the OAuth error shape
/// `{"error", "error_description", "request_id"}`, without contacting the upstream.
struct GatewayRefusal: Error, Sendable {
    var status: HTTPResponse.Status
    var code: OAuthErrorCode
    var description: String
    var extraHeaders: HTTPFields = [:]

    static func notFound() -> Self {
        .init(status: .notFound, code: .notFound, description: "this gateway does not forward or answer that path")
    }

    /// The response head and body, with `requestID` in the body and the `X-Request-Id` header.
    func head(requestID: String) -> (HTTPResponse, ByteBuffer) {
        var headers = extraHeaders
        headers[.contentType] = "application/json"
        headers[.xRequestID] = requestID
        headers[.cacheControl] = "no-store"
        let body = OAuthErrorResponse(error: code, errorDescription: description, requestID: requestID)
        let encoded = (try? Self.encoder.encode(body)) ?? Data(#"{"error":"server_error"}"#.utf8)
        headers[.contentLength] = String(encoded.count)
        return (HTTPResponse(status: status, headerFields: headers), ByteBuffer(bytes: encoded))
    }

    /// The same, as a router response.
    func response(requestID: String) -> Response {
        let (head, body) = head(requestID: requestID)
        return Response(status: head.status, headers: head.headerFields, body: .init(byteBuffer: body))
    }

    /// Sorted keys give the documented order: `error`, `error_description`, `request_id`.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    static let xGatewayKey = HTTPField.Name("X-Gateway-Key")!
}
