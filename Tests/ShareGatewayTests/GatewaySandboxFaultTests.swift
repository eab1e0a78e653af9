import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ShareSandbox
import Testing

@testable import ShareGateway

/// The gateway in front of a real sandbox whose control plane injects the failure: a dropped
/// connection is a 502 and an answer slower than the upstream timeout a 504, each in the
/// gateway's own error shape — the faults a frontend team cannot provoke on the real service.
@Suite("Gateway against the sandbox's injected faults (live)")
struct GatewaySandboxFaultTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A gateway whose operator allowlisted the control plane, in front of a fresh sandbox.
    func withFaultingGateway(
        upstreamTimeout: Duration = .seconds(10), _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await SandboxServer.withRunningSandbox(
            configuration: SandboxConfiguration(port: 0, partners: makePartnerRegistry(), logger: Self.quiet)
        ) { sandbox in
            let configuration = testConfiguration {
                $0.upstreamTimeout = upstreamTimeout
                $0.allowedPaths = try! PathAllowlist(parsing: PathAllowlist.default.entries.map(\.description) + ["GET,POST,DELETE /sandbox…"])
            }
            let components = try GatewayComponents(
                configuration: configuration, upstreamBaseURL: sandbox.url, credentials: GatewayLauncher.embeddedCredentials)
            try await buildApplication(components: components, logger: Self.quiet).test(.live) { client in try await body(client) }
        }
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    func introspect(_ client: any TestClientProtocol) async throws -> TestResponse {
        try await post(client, "/oauth/introspect", #"{"token":"not-a-token"}"#)
    }

    @Test("a dropped connection is 502 upstream_unavailable, once; the next request is answered")
    func droppedConnectionIs502() async throws {
        try await withFaultingGateway { client in
            let fault = try await post(client, "/sandbox/faults", #"{"path":"/oauth/introspect","drop_connection":true,"times":1}"#)
            #expect(fault.status == .created, "\(String(buffer: fault.body))")

            let dropped = try await introspect(client)
            #expect(dropped.status == .badGateway)
            #expect(try json(dropped)["error"] as? String == "upstream_unavailable")

            let answered = try await introspect(client)
            #expect(answered.status == .ok)
            #expect(try json(answered)["active"] as? Bool == false)
        }
    }

    @Test("an answer delayed past the upstream timeout is 504 upstream_timeout")
    func delayPastTheTimeoutIs504() async throws {
        // 2 s of upstream timeout, so that adding the fault through the gateway is not itself
        // timed out on a busy host; the fault's 12 s delay stays well past it, and the answer
        // must come well before the delay ends, however slowly a loaded host schedules the test.
        try await withFaultingGateway(upstreamTimeout: .seconds(2)) { client in
            let fault = try await post(client, "/sandbox/faults", #"{"path":"/oauth/introspect","delay_ms":12000,"times":1}"#)
            #expect(fault.status == .created, "\(String(buffer: fault.body))")

            let started = ContinuousClock.now
            let late = try await introspect(client)
            #expect(late.status == .gatewayTimeout)
            #expect(try json(late)["error"] as? String == "upstream_timeout")
            #expect(ContinuousClock.now - started < .seconds(9))
        }
    }

    @Test("a delay inside the upstream timeout is the real answer, marked with the fault")
    func delayInsideTheTimeoutIsAnswered() async throws {
        try await withFaultingGateway(upstreamTimeout: .seconds(5)) { client in
            let fault = try await post(client, "/sandbox/faults", #"{"path":"/oauth/introspect","delay_ms":200,"times":1}"#)
            let id = try #require(json(fault)["id"] as? String)
            let slow = try await introspect(client)
            #expect(slow.status == .ok)
            #expect(slow.headers[HTTPField.Name("Sandbox-Fault")!] == id)
        }
    }

    @Test("a fault for one client keeps its client_id through the gateway; on other paths the body's client_id is still removed")
    func faultClientIDGoesThrough() async throws {
        try await withFaultingGateway { client in
            let fault = try await post(client, "/sandbox/faults", #"{"path":"/oauth/token","status":503,"client_id":"another-client","times":1}"#)
            #expect(fault.status == .created, "\(String(buffer: fault.body))")
            #expect(try json(fault)["client_id"] as? String == "another-client")
            // The gateway's own client is not the one faulted: its token request is answered.
            let token = try await post(client, "/oauth/token", #"{"grant_type":"client_credentials","client_id":"another-client"}"#)
            #expect(token.status == .ok, "\(String(buffer: token.body))")
            #expect(token.headers[HTTPField.Name("Sandbox-Fault")!] == nil)
        }
    }
}
