/// Why an upstream did not deliver a complete response to a forwarded request.
enum UpstreamFailure: Sendable, Equatable {
    /// No connection could be made within the connect timeout.
    case connectTimeout
    /// No connection could be made: refused, unreachable, a failed TLS handshake, or the pool is
    /// shut down.
    case unreachable
    /// The upstream did not answer completely within the upstream timeout.
    case responseTimeout
    /// The connection ended before the response did.
    case closedEarly
    /// The upstream sent something that is not an HTTP/1.1 response (or broke its framing).
    case malformedResponse
    /// Reading from or writing to the connection failed.
    case connectionError
    /// The upstream answered 401: it refused the credentials the gateway injects.
    case credentialsRejected

    /// The `reason` label of `gateway_upstream_failures_total`: `timeout`, `unavailable` or
    /// `credentials`.
    var metricsReason: String {
        switch self {
        case .connectTimeout, .responseTimeout: "timeout"
        case .credentialsRejected: "credentials"
        case .unreachable, .closedEarly, .malformedResponse, .connectionError: "unavailable"
        }
    }

    /// The answer a client gets when the failure comes before the response head: 504 for a
    /// timeout, 502 otherwise (`upstream_credentials_rejected` for a 401, naming the gateway's
    /// configuration rather than anything the client could send).
    var refusal: GatewayRefusal {
        switch self {
        case .connectTimeout, .responseTimeout:
            GatewayRefusal(status: .gatewayTimeout, code: .upstreamTimeout, description: "the upstream did not answer in time")
        case .unreachable, .closedEarly, .malformedResponse, .connectionError:
            GatewayRefusal(status: .badGateway, code: .upstreamUnavailable, description: "the upstream could not be reached")
        case .credentialsRejected:
            GatewayRefusal(
                status: .badGateway, code: .upstreamCredentialsRejected,
                description: "the upstream refused this gateway's credentials; its operator must fix the gateway's configuration "
                    + "(PLAID_CLIENT_ID, PLAID_SECRET, SHARE_API_KEY or the --config file)")
        }
    }
}
