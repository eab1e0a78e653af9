import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import ShareGateway

/// The gateway on a real socket in front of upstreams that fail in the ways networks do.
@Suite("Gateway against a broken upstream (live)")
struct GatewayLiveTests {
    func live<Value: Sendable>(
        upstream: String, timeout: Duration = .seconds(10), _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let configuration = testConfiguration { $0.upstreamTimeout = timeout }
        let components = try GatewayComponents(configuration: configuration, upstreamBaseURL: upstream)
        let app = buildApplication(components: components, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await app.test(.live) { client in try await body(client) }
    }

    func errorCode(_ response: TestResponse) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        #expect(object?["request_id"] as? String == response.headers[.xRequestID])
        return object?["error"] as? String
    }

    @Test("a down upstream is 502")
    func downIs502() async throws {
        let url = BrokenUpstream.downURL()
        try await live(upstream: url) { client in
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")) { (response) async throws in
                #expect(response.status == .badGateway)
                #expect(try errorCode(response) == "upstream_unavailable")
            }
            try await client.execute(uri: "/readyz", method: .get) { (response) async throws in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/healthz", method: .get) { (response) async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a slow upstream is 504 once the upstream timeout passes")
    func slowIs504() async throws {
        let upstream = try await BrokenUpstream(.slow)
        do {
            try await live(upstream: upstream.baseURL, timeout: .milliseconds(300)) { client in
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")) { (response) async throws in
                    #expect(response.status == .gatewayTimeout)
                    #expect(try errorCode(response) == "upstream_timeout")
                }
            }
        } catch {
            await upstream.close()
            throw error
        }
        await upstream.close()
    }

    @Test("an upstream that resets the connection is 502", arguments: [BrokenUpstream.Behaviour.reset, .garbage])
    func resetIs502(behaviour: BrokenUpstream.Behaviour) async throws {
        let upstream = try await BrokenUpstream(behaviour)
        do {
            try await live(upstream: upstream.baseURL) { client in
                try await client.execute(uri: "/oauth/revoke", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"token":"x"}"#)) { (response) async throws in
                    #expect(response.status == .badGateway)
                    #expect(try errorCode(response) == "upstream_unavailable")
                }
            }
        } catch {
            await upstream.close()
            throw error
        }
        await upstream.close()
    }

    @Test("a streamed upstream answer reaches the client whole")
    func streamsResponses() async throws {
        try await RecordingUpstream.run { upstream in
            try await live(upstream: upstream) { client in
                let body = #"{"grant_type":"client_credentials","client_secret":"x","pad":""# + String(repeating: "p", count: 40_000) + #""}"#
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { (response) async throws in
                    #expect(response.status == .ok)
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.body.count == body.count - #""client_secret":"x","#.count)
                    #expect(received.values("plaid-secret") == [TestCredentials.secret])
                }
            }
        }
    }
}
