import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /healthz` (the process answers), `GET /readyz` (the upstream answers) and
/// `GET /metrics` (Prometheus text format).
struct OperationsRoutes: Sendable {
    /// The client the readiness check uses.
    let client: HTTPClient
    /// The upstream's base URL, without a trailing slash.
    let baseURL: String
    let metrics: GatewayMetrics
    /// How long `/readyz` waits for the upstream.
    var readinessTimeout: TimeAmount = .seconds(2)

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, context in
            Self.json(#"{"status":"ok"}"#, status: .ok, requestID: context.requestID)
        }
        router.get("/readyz") { _, context in
            await readiness(context: context)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render()))
            )
        }
    }

    /// Ready when the upstream answers anything at all over HTTP (its `/healthz` for the
    /// sandbox; hosted APIs answer 404 there, which still proves they are reachable).
    private func readiness(context: GatewayRequestContext) async -> Response {
        var request = HTTPClientRequest(url: baseURL + "/healthz")
        request.method = .GET
        request.headers.add(name: "X-Request-Id", value: context.requestID)
        do {
            let response = try await client.execute(request, timeout: readinessTimeout, logger: context.logger)
            _ = try await response.body.collect(upTo: 64 * 1024)
            return Self.json(#"{"status":"ready"}"#, status: .ok, requestID: context.requestID)
        } catch {
            let reason = Self.isTimeout(error) ? "timeout" : "unavailable"
            return Self.json(#"{"status":"unavailable","reason":"\#(reason)"}"#, status: .serviceUnavailable, requestID: context.requestID)
        }
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout: return true
        default: return false
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status, requestID: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
