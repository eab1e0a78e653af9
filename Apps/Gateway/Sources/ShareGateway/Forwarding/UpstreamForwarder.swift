import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Sends an inspected request to the upstream and streams the answer back.
///
/// Uses AsyncHTTPClient directly rather than ShareTransport's `HTTPTransport`: the gateway
/// relays bytes it does not decode, and going through a typed transport would convert the
/// request to `HTTPRequest` and back and collect the response body before returning it. Here
/// the response head is relayed as soon as it arrives and the body is streamed chunk by chunk
/// from one shared, pooled `HTTPClient`.
struct UpstreamForwarder: Sendable {
    let clients: UpstreamClients
    /// A client for requests off the hot path (readiness).
    var client: HTTPClient { clients.any }
    /// The upstream's base URL, without a trailing slash.
    let baseURL: String
    let timeout: Duration
    let headerPolicy = HeaderPolicy()
    private let plaidHeaders: [(String, String)]
    private let shareAPIHeaders: [(String, String)]

    init(clients: UpstreamClients, baseURL: String, timeout: Duration, credentials: UpstreamCredentials) {
        self.clients = clients
        self.baseURL = baseURL
        self.timeout = timeout
        self.plaidHeaders = credentials.headers(forShareAPI: false)
        self.shareAPIHeaders = credentials.headers(forShareAPI: true)
    }

    /// Why forwarding failed; answered 502 or 504.
    enum Failure: Error {
        case timeout
        case unavailable
    }

    func forward(
        method: HTTPRequest.Method,
        path: String,
        query: String?,
        headers: HTTPFields,
        body: ByteBuffer?,
        requestID: String,
        logger: Logger
    ) async throws(Failure) -> Response {
        var url = baseURL
        url.reserveCapacity(baseURL.utf8.count + path.utf8.count + (query?.utf8.count ?? 0) + 1)
        url += path
        if let query {
            url += "?"
            url += query
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.rawValue)
        let injected = path.hasPrefix(UpstreamCredentials.shareAPIPrefix) ? shareAPIHeaders : plaidHeaders
        request.headers = headerPolicy.upstreamHeaders(from: headers, injecting: injected, requestID: requestID)
        if let body {
            request.body = .bytes(body)
        } else if method == .post || method == .put || method == .patch {
            request.headers.replaceOrAdd(name: "Content-Length", value: "0")
        }
        let response: HTTPClientResponse
        do {
            response = try await clients.current.execute(request, deadline: .now() + .nanoseconds(Self.nanoseconds(timeout)), logger: logger)
        } catch {
            throw Self.classify(error)
        }
        var fields = headerPolicy.clientHeaders(from: response.headers)
        if fields[.xRequestID] == nil { fields[.xRequestID] = requestID }
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: fields,
            body: ResponseBody(asyncSequence: response.body)
        )
    }

    /// Timeouts are 504; refused, reset or otherwise broken connections are 502.
    static func classify(_ error: any Error) -> Failure {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return .timeout
            default:
                return .unavailable
            }
        }
        return .unavailable
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
