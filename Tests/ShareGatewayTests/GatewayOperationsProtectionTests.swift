import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ShareGateway

/// The operations endpoints cannot be turned against the gateway or its upstream: `/readyz` asks
/// the upstream at most once a second, every operations route is rate-limited per client like the
/// forwarded ones, and `/metrics` needs its bearer token (or, without one, a loopback client).
@Suite("Gateway operations endpoints protection (live)")
struct GatewayOperationsProtectionTests {
    static let metricsToken = "metrics-token-0123456789"

    @Test("/readyz answers from a one-second cache: many calls make a handful of upstream checks")
    func readinessIsCached() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, upstream in
            let start = ContinuousClock.now
            for _ in 0..<60 {
                try await connection.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let reply = try await connection.readResponse(method: "GET")
                #expect(reply.status == 200)
            }
            let elapsed = ContinuousClock.now - start
            let checks = upstream.requests.filter { $0.hasPrefix("GET /healthz ") }.count
            // One check per started second at most, plus one.
            #expect(checks >= 1)
            #expect(checks <= Int(elapsed.components.seconds) + 2, "\(checks) upstream checks in \(elapsed)")
        }
    }

    @Test("concurrent readiness checks share one upstream call")
    func concurrentReadinessChecksCoalesce() async throws {
        try await ScriptedUpstream.run({ _ in ScriptedUpstream.Response(["HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"], pause: .milliseconds(300)) }) { upstream in
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            let probe = ReadinessProbe(client: client, baseURL: upstream.baseURL, cacheDuration: .seconds(60))
            let outcomes = await withTaskGroup(of: ReadinessProbe.Outcome.self) { group in
                for _ in 0..<20 { group.addTask { await probe.outcome() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            try await client.shutdown()
            #expect(outcomes.allSatisfy { $0 == .ready })
            #expect(await probe.checksMade == 1)
            #expect(upstream.requests.count == 1)
        }
    }

    @Test("the operations routes share the per-client rate limit", arguments: ["/healthz", "/readyz", "/metrics"])
    func operationsAreRateLimited(path: String) async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.rateLimit = .init(ratePerSecond: 0.001, burst: 2) }) { connection, _ in
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<3 {
                try await connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let reply = try await connection.readResponse(method: "GET")
                statuses.append(reply.status)
                retryAfter = reply.header("retry-after")
            }
            #expect(statuses == [200, 200, 429])
            #expect(retryAfter != nil)
        }
    }

    @Test("with a metrics token, /metrics needs it as a bearer token; the token never appears in an answer")
    func metricsNeedTheToken() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.metricsToken = Self.metricsToken }) { connection, _ in
            for authorization in [nil, "Bearer wrong-token-0123456789", "Basic \(Self.metricsToken)", "Bearer \(Self.metricsToken)x"] as [String?] {
                let header = authorization.map { "Authorization: \($0)\r\n" } ?? ""
                try await connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\(header)\r\n")
                let reply = try await connection.readResponse(method: "GET")
                #expect(reply.status == 401, "\(authorization ?? "none")")
                #expect(reply.header("www-authenticate")?.hasPrefix("Bearer") == true)
                #expect(!reply.rawHead.contains(Self.metricsToken) && !reply.body.contains(Self.metricsToken))
            }
            try await connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(Self.metricsToken)\r\n\r\n")
            let reply = try await connection.readResponse(method: "GET")
            #expect(reply.status == 200)
            #expect(reply.body.contains("gateway_requests_total"))
        }
    }

    @Test("without a metrics token, /metrics answers loopback clients only")
    func metricsWithoutTokenAreLoopbackOnly() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, _ in
            try await connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await connection.readResponse(method: "GET").status == 200)
        }
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let routes = OperationsRoutes(readiness: ReadinessProbe(client: client, baseURL: "http://127.0.0.1:1"), metrics: GatewayMetrics(), metricsToken: nil)
        #expect(routes.metricsRefusal(authorization: nil, client: "127.0.0.1") == nil)
        #expect(routes.metricsRefusal(authorization: nil, client: "::1") == nil)
        #expect(routes.metricsRefusal(authorization: nil, client: "203.0.113.7")?.status == .forbidden)
        #expect(routes.metricsRefusal(authorization: nil, client: "::ffff:203.0.113.7")?.status == .forbidden)
        try await client.shutdown()
    }
}
