import Foundation
import NIOConcurrencyHelpers
import NIOCore
import ShareSandbox
import Testing

/// The server side of the connection limits, on real sockets with short configured timeouts.
/// Every wait is bounded by a generous limit; no assertion depends on how fast the machine is.
@Suite("connection limits and timeouts")
struct ConnectionLimitTests {
    /// A limit no correct server comes near and every broken one passes: the configured
    /// timeouts are 1 to 5 seconds, the other timers a minute or more.
    static let patience = Duration.seconds(20)

    static func withSandbox(_ limits: ConnectionLimits, _ test: (Int) async throws -> Void) async throws {
        var configuration = SandboxHarness.configuration(clock: ManualClock())
        configuration.connectionLimits = limits
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await test(sandbox.port)
        }
    }

    static let tokenRequestHead = "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"

    @Test("a request head trickled a byte at a time is closed after the head timeout")
    func slowHeadIsClosed() async throws {
        let limits = ConnectionLimits(headReadTimeout: .seconds(1), bodyReadTimeout: .seconds(120), idleTimeout: .seconds(120))
        try await Self.withSandbox(limits) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: Self.patience) { outbound in
                try await outbound.write(ByteBuffer(string: "POST /oauth/token HTTP/1.1\r\nX-Slow: "))
                while true {
                    try await Task.sleep(for: .milliseconds(200))
                    try await outbound.write(ByteBuffer(string: "a"))
                }
            }
            #expect(outcome.closedByServer)
        }
    }

    @Test("a later request's head trickled on a keep-alive connection is closed after the head timeout")
    func slowSecondHeadIsClosed() async throws {
        // 5 s: the first request must be read and answered inside the head timeout even while
        // the rest of the suite keeps every core busy.
        let limits = ConnectionLimits(headReadTimeout: .seconds(5), bodyReadTimeout: .seconds(120), idleTimeout: .seconds(120))
        try await Self.withSandbox(limits) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: Self.patience) { outbound in
                try await outbound.write(RawTCPConnection.request("GET", "/healthz"))
                try await Task.sleep(for: .milliseconds(200))
                try await outbound.write(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nX-Slow: "))
                while true {
                    try await Task.sleep(for: .milliseconds(200))
                    try await outbound.write(ByteBuffer(string: "a"))
                }
            }
            #expect(outcome.closedByServer)
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"), "the first request is answered: \(outcome.received.prefix(80))")
        }
    }

    @Test("a request body trickled a byte at a time is closed after the body timeout")
    func slowBodyIsClosed() async throws {
        let limits = ConnectionLimits(headReadTimeout: .seconds(120), bodyReadTimeout: .seconds(1), idleTimeout: .seconds(120))
        try await Self.withSandbox(limits) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: Self.patience) { outbound in
                try await outbound.write(ByteBuffer(string: Self.tokenRequestHead + "Content-Length: 1000\r\n\r\n{"))
                while true {
                    try await Task.sleep(for: .milliseconds(200))
                    try await outbound.write(ByteBuffer(string: " "))
                }
            }
            #expect(outcome.closedByServer)
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout, its answer delivered")
    func idleKeepAliveIsClosed() async throws {
        // 5 s: the request must be read and answered inside the idle timeout on a busy host too.
        let limits = ConnectionLimits(headReadTimeout: .seconds(120), bodyReadTimeout: .seconds(120), idleTimeout: .seconds(5))
        try await Self.withSandbox(limits) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: Self.patience) { outbound in
                try await outbound.write(RawTCPConnection.request("GET", "/healthz"))
            }
            #expect(outcome.closedByServer)
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"), "answer: \(outcome.received.prefix(80))")
        }
    }

    @Test("a connection that never sends a byte is closed after the head timeout")
    func silentConnectionIsClosed() async throws {
        let limits = ConnectionLimits(headReadTimeout: .seconds(1), bodyReadTimeout: .seconds(120), idleTimeout: .seconds(120))
        try await Self.withSandbox(limits) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: Self.patience) { _ in }
            #expect(outcome.closedByServer)
            #expect(outcome.received.isEmpty)
        }
    }

    @Test("at the connection cap a new connection waits, open ones keep being served, and it is served once one closes")
    func connectionCap() async throws {
        let limits = ConnectionLimits(
            maximumConnections: 3, headReadTimeout: .seconds(120), bodyReadTimeout: .seconds(120), idleTimeout: .seconds(120))
        try await Self.withSandbox(limits) { port in
            try await KeepAliveConnection.with(3, port: port) { connections in
                // Each open connection is served once, so the server has accepted all three
                // before the fourth connects (NIO accepts a burst of backlogged connections in
                // one go, before the cap can stop it).
                for index in 0..<3 {
                    try await connections[index].send(RawTCPConnection.request("GET", "/healthz"))
                    #expect(try await connections[index].responseStatus() == 200)
                }
                try await KeepAliveConnection.with(1, port: port) { beyondCap in
                    // The fourth is beyond the cap: connected (by the kernel's backlog), not served.
                    try await beyondCap[0].send(RawTCPConnection.request("GET", "/healthz"))
                    let fourth = Handover(value: beyondCap[0])
                    let answered = NIOLockedValueBox(false)
                    try await withThrowingTaskGroup(of: Int?.self) { group in
                        group.addTask {
                            var connection = fourth.value
                            let status = try await connection.responseStatus()
                            answered.withLockedValue { $0 = true }
                            return status
                        }
                        try await Task.sleep(for: .milliseconds(500))
                        #expect(!answered.withLockedValue { $0 }, "a connection beyond the cap was served")
                        // The open connections are still served.
                        try await connections[0].send(RawTCPConnection.request("GET", "/healthz"))
                        #expect(try await connections[0].responseStatus() == 200)
                        #expect(!answered.withLockedValue { $0 }, "a connection beyond the cap was served")
                        // Once one closes, the waiting one is accepted and answered.
                        await connections[1].close()
                        #expect(try await group.next() == .some(200))
                    }
                }
            }
        }
    }
}

/// Moves a value into a child task; the caller does not touch it again.
private struct Handover<Value>: @unchecked Sendable {
    var value: Value
}
