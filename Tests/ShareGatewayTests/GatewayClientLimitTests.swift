import Foundation
import NIOCore
import Testing

@testable import ShareGateway

/// Slow and idle clients are cut off, and the connections one client — or all of them — may hold
/// are capped, so that neither a slowloris nor a pile of idle sockets makes the gateway unavailable.
/// Timeouts are configured short here; the waits allowed for them are generous, for a loaded machine.
/// The total connection cap is tested on the real binary (``GatewayProcessTests``): Hummingbird's
/// test harness rebuilds the server configuration without its connection delegate.
@Suite("Gateway client timeouts and connection caps (live)")
struct GatewayClientLimitTests {
    /// Short, yet long enough that a test's first bytes arrive in time while the whole suite
    /// keeps every core busy.
    static func shortTimeouts(_ configuration: inout GatewayConfiguration) {
        configuration.connectionLimits.headTimeout = .milliseconds(1500)
        configuration.connectionLimits.bodyTimeout = .milliseconds(1500)
        configuration.connectionLimits.idleTimeout = .milliseconds(1500)
    }

    @Test("a slowloris head, trickled a header at a time, is answered 408 and closed after the head timeout")
    func slowlorisHeadIsClosed() async throws {
        // The head timeout runs from the connection's accept, and the trickle's first line must
        // come before it; on a machine kept busy by the whole suite that can take more than the
        // other tests' 1.5 s. The trickle still takes three times as long as this timeout.
        try await GatewayHeaderIntegrityTests.withHeaderGateway({
            Self.shortTimeouts(&$0)
            $0.connectionLimits.headTimeout = .seconds(3)
        }) { connection, upstream in
            try await connection.send("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let start = ContinuousClock.now
            for index in 0..<100 {
                try await Task.sleep(for: .milliseconds(100))
                if try await connection.isClosed(within: .zero) { break }
                try? await connection.send("X-Slow-\(index): 1\r\n")
            }
            #expect(try await connection.isClosed(within: .seconds(10)))
            // Well before the 10 s the trickle would have taken.
            #expect(ContinuousClock.now - start < .seconds(9))
            let reply = try await connection.readResponse()
            #expect(reply.status == 408)
            #expect(GatewayHeaderIntegrityTests.errorCode(reply) == "request_timeout")
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("a connection that sends nothing is closed after the head timeout")
    func silentConnectionIsClosed() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway(Self.shortTimeouts) { connection, _ in
            let closed = try await connection.isClosedByServer(timeout: .seconds(10))
            #expect(closed)
        }
    }

    @Test("a slow body is answered 408 and closed after the body timeout, and never forwarded")
    func slowBodyIsClosed() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway(Self.shortTimeouts) { connection, upstream in
            try await connection.send("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
            let reply = try await connection.readResponse(timeout: .seconds(10))
            #expect(reply.status == 408)
            #expect(try await connection.isClosed(within: .seconds(10)))
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleKeepAliveIsClosed() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway(Self.shortTimeouts) { connection, _ in
            try await connection.send(GatewayHeaderIntegrityTests.request(headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: "{}"))
            #expect(try await connection.readResponse().status == 200)
            #expect(try await connection.isClosedByServer(timeout: .seconds(10)))
        }
    }

    @Test("a keep-alive connection that goes on sending requests within the timeouts stays open")
    func activeKeepAliveStaysOpen() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({
            $0.connectionLimits.headTimeout = .seconds(5)
            $0.connectionLimits.idleTimeout = .seconds(5)
        }) { connection, upstream in
            for _ in 0..<5 {
                try await connection.send(GatewayHeaderIntegrityTests.request(headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: "{}"))
                #expect(try await connection.readResponse().status == 200)
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(upstream.requests.count == 5)
        }
    }

    @Test("one client may hold only its share of connections: more are closed at once, and a slot comes back when one closes")
    func perClientCap() async throws {
        // Three per client: the harness's client, `first` and `second`.
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.connectionLimits.maximumConnectionsPerClient = 3 }) { first, upstream in
            let port = try #require(first.channel.remoteAddress?.port)
            let request = GatewayHeaderIntegrityTests.request(headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: "{}")
            try await first.send(request)
            #expect(try await first.readResponse().status == 200)
            try await ByteLevelClient.with(port: port) { second in
                try await second.send(request)
                #expect(try await second.readResponse().status == 200)
                try await ByteLevelClient.with(port: port) { third in
                    let closed = try await third.isClosedByServer(timeout: .seconds(10))
                    #expect(closed)
                }
                try await second.channel.close()
            }
            // The count is given back as the closed connection goes; a new one is served.
            var served = false
            for _ in 0..<50 where !served {
                served = try await ByteLevelClient.with(port: port) { fourth in
                    try? await fourth.send(request)
                    return (try? await fourth.readResponse(timeout: .seconds(2)))?.status == 200
                }
                if !served { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(served)
            #expect(upstream.requests.count >= 3)
        }
    }

    @Test("the default connection cap follows the open-file limit: half of what is left after a reserve, 16 to 4096")
    func defaultConnectionCap() {
        #expect(ClientConnectionLimits.defaultMaximumConnections(fileDescriptorLimit: 1024) == 480)
        #expect(ClientConnectionLimits.defaultMaximumConnections(fileDescriptorLimit: 1_048_576) == 4096)
        #expect(ClientConnectionLimits.defaultMaximumConnections(fileDescriptorLimit: 64) == 16)
        #expect(ClientConnectionLimits().resolvedMaximumConnectionsPerClient(maximumConnections: 480) == 120)
    }
}
