import Logging

/// The gateway's access-log line, one per request, whoever answered it (the forwarding handler or
/// the router): method, route, status, duration, request id and client address — never a header
/// value or a body.
enum AccessLog {
    static func record(
        to logger: Logger, requestID: String, method: String, route: String, status: Int, duration: Duration, client: String
    ) {
        logger.info(
            "request",
            metadata: [
                "request.id": .string(requestID),
                "method": .string(method),
                "route": .string(route),
                "status": .stringConvertible(status),
                "duration_ms": .stringConvertible(milliseconds(duration)),
                "client": .string(client),
            ]
        )
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 1000).rounded() / 1000
    }
}
