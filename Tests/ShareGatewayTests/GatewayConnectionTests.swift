import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ShareGateway

/// How the gateway treats a client connection: pipelined requests answered in order whoever
/// answers them, `Connection: close`, oversized streamed bodies, `Expect: 100-continue`, and
/// upstream connections kept alive between requests.
@Suite("Gateway connections (live)")
struct GatewayConnectionTests {
    @Test("pipelined requests are answered in order, whether forwarded, refused or answered by the router")
    func pipelinedRequestsKeepTheirOrder() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                    let requests = [
                        RawHTTPConnection.format("POST", "/oauth/token", headers: ["Content-Type: application/json"], body: #"{"n":1}"#),
                        RawHTTPConnection.format("GET", "/healthz"),
                        RawHTTPConnection.format("POST", "/oauth/introspect", headers: ["Content-Type: application/json"], body: #"{"n":3}"#),
                        RawHTTPConnection.format("POST", "/not/forwarded"),
                        RawHTTPConnection.format("GET", "/healthz"),
                        RawHTTPConnection.format("POST", "/oauth/revoke", headers: ["Content-Type: application/json"], body: #"{"n":6}"#),
                    ]
                    try await connection.send(requests.joined())
                    let first = try await connection.response()
                    #expect(try RecordingUpstream.Received(ByteBuffer(string: first.body)).body == #"{"n":1}"#)
                    #expect(try await connection.response().body == #"{"status":"ok","service":"share-gateway"}"#)
                    let third = try await connection.response()
                    #expect(try RecordingUpstream.Received(ByteBuffer(string: third.body)).path == "/oauth/introspect")
                    let fourth = try await connection.response()
                    #expect(fourth.status == 404)
                    #expect(fourth.body.contains(#""error":"not_found""#))
                    #expect(try await connection.response().body == #"{"status":"ok","service":"share-gateway"}"#)
                    let sixth = try await connection.response()
                    #expect(try RecordingUpstream.Received(ByteBuffer(string: sixth.body)).body == #"{"n":6}"#)
                }
            }
        }
    }

    @Test("a large body sent to a router endpoint is refused 413 before it is read, and the connection closed")
    func largeBodyToTheRouter() async throws {
        try await withGateway(upstream: "http://127.0.0.1:1") { client in
            try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                try await connection.send("POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(2 * 1024 * 1024)\r\n\r\n")
                let first = try await connection.response()
                #expect(first.status == 413)
                #expect(first.body.contains(#""error":"request_too_large""#))
                #expect(try await connection.isClosedByServer())
            }
        }
    }

    @Test("one client connection's requests reuse one upstream connection")
    func upstreamConnectionsAreKeptAlive() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                var peers = Set<Int>()
                for _ in 0..<20 {
                    try await client.execute(uri: "/oauth/introspect", method: .post, headers: [.contentType: "application/json"], body: .json("{}")) {
                        (response) async throws in
                        #expect(response.status == .ok)
                        peers.insert(try RecordingUpstream.Received(response.body).peer)
                    }
                }
                #expect(peers.count == 1, "\(peers.count) upstream connections for 20 sequential requests")
            }
        }
    }

    @Test("Connection: close is honoured: the answer says so and the gateway closes")
    func connectionCloseIsHonoured() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                    let response = try await connection.request("POST", "/oauth/token", headers: ["Connection: close", "Content-Type: application/json"], body: "{}")
                    #expect(response.status == 200)
                    #expect(response.header("Connection")?.lowercased() == "close")
                    #expect(try await connection.isClosedByServer())
                }
            }
        }
    }

    @Test("an HTTP/1.0 request without keep-alive is answered, then the connection is closed")
    func http10ClosesTheConnection() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                    try await connection.send("POST /oauth/token HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                    let response = try await connection.response()
                    #expect(response.status == 200)
                    #expect(response.header("Connection")?.lowercased() == "close")
                    #expect(try await connection.isClosedByServer())
                }
            }
        }
    }

    @Test("a chunked body over the limit is 413 and the connection is closed without reading the rest")
    func streamedBodyOverTheLimit() async throws {
        let configuration = testConfiguration { $0.maximumBodySize = 1024 }
        try await withGateway(upstream: "http://127.0.0.1:1", configuration) { client in
            try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                let chunk = String(repeating: "x", count: 800)
                try await connection.send(
                    "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n")
                let response = try await connection.response()
                #expect(response.status == 413)
                #expect(response.body.contains(#""error":"request_too_large""#))
                #expect(try await connection.isClosedByServer())
            }
        }
    }

    @Test("Expect: 100-continue gets an interim answer before the body is sent")
    func expectContinue() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                    try await connection.send(
                        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
                    #expect(try await connection.response().status == 100)
                    try await connection.send("{}")
                    let response = try await connection.response()
                    #expect(response.status == 200)
                    #expect(try RecordingUpstream.Received(ByteBuffer(string: response.body)).values("expect").isEmpty)
                }
            }
        }
    }

    @Test("a client that leaves mid-request does not break the next one")
    func abandonedRequests() async throws {
        let held = HeldUpstream()
        try await held.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                    try await connection.send(RawHTTPConnection.format("POST", "/oauth/token"))
                    await held.waitForRequest()
                }
                held.release()
                let answering = Task {
                    await held.waitForRequest()
                    held.release()
                }
                try await client.execute(uri: "/oauth/token", method: .post) { (response) async throws in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "released")
                }
                await answering.value
            }
        }
    }
}
