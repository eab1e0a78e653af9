import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareCredentials

/// `GET /healthz` (the process answers, and says it is a `share-gateway`:
/// `{"status":"ok","service":"share-gateway"}`), `GET /readyz` (the upstream answers, checked at most
/// once a second: ``ReadinessProbe``) and `GET /metrics` (Prometheus text format).
///
/// `/metrics` tells request counts per route and status: with a metrics token configured it
/// requires `Authorization: Bearer <token>` (compared in constant time; 401 otherwise), and
/// without one it answers loopback clients only (403 for others), so a gateway bound to a public
/// address does not publish it.
struct OperationsRoutes: Sendable {
    let readiness: ReadinessProbe
    let metrics: GatewayMetrics
    /// The bearer token `/metrics` requires, if any.
    let metricsToken: String?

    /// The `service` `/healthz` names, by which clients (the `share` shell) recognise a gateway.
    static let serviceName = "share-gateway"

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, context in
            Self.json(#"{"status":"ok","service":"\#(Self.serviceName)"}"#, status: .ok, requestID: context.requestID)
        }
        router.get("/readyz") { _, context in
            switch await readiness.outcome() {
            case .ready:
                return Self.json(#"{"status":"ready"}"#, status: .ok, requestID: context.requestID)
            case .unavailable(let reason):
                return Self.json(#"{"status":"unavailable","reason":"\#(reason)"}"#, status: .serviceUnavailable, requestID: context.requestID)
            }
        }
        router.get("/metrics") { request, context in
            if let refusal = metricsRefusal(authorization: request.headers[.authorization], client: context.clientKey) {
                return refusal.response(requestID: context.requestID)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render()))
            )
        }
    }

    /// Why `/metrics` is refused to this caller, or `nil`.
    func metricsRefusal(authorization: String?, client: String) -> GatewayRefusal? {
        guard let metricsToken else {
            if Self.isLoopbackClient(client) { return nil }
            return GatewayRefusal(
                status: .forbidden, code: .invalidMetricsToken, description: "/metrics answers loopback clients only unless a metrics token is configured")
        }
        let prefix = "Bearer "
        if let authorization, authorization.hasPrefix(prefix), Secret.constantTimeEquals(String(authorization.dropFirst(prefix.count)), metricsToken) {
            return nil
        }
        var refusal = GatewayRefusal(status: .unauthorized, code: .invalidMetricsToken, description: "a valid metrics bearer token is required")
        refusal.extraHeaders[.wwwAuthenticate] = #"Bearer realm="metrics""#
        return refusal
    }

    private static func isLoopbackClient(_ client: String) -> Bool {
        client == "local" || client == "::1" || client.hasPrefix("127.") || client.hasPrefix("::ffff:127.")
    }

    static func json(_ text: String, status: HTTPResponse.Status, requestID: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
