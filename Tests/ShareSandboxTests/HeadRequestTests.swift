import Foundation
import NIOCore
import ShareSandbox
import Testing

/// `HEAD` answers wherever `GET` does, over a real socket: the same status and headers, no body,
/// and the connection stays usable for the next request (RFC 9110 §9.3.2).
@Suite("HEAD requests (live)")
struct HeadRequestTests {
    static func request(_ method: String, _ path: String, headers: [String] = []) -> ByteBuffer {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for header in headers { text += header + "\r\n" }
        return ByteBuffer(string: text + "\r\n")
    }

    @Test("HEAD on /healthz and the share-token list answers GET's status and headers without a body")
    func headMirrorsGet() async throws {
        let configuration = ShareTokenHarness.configuration(clock: ManualClock())
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await KeepAliveConnection.with(1, port: sandbox.port) { connections in
                let auth = "Authorization: Bearer \(ShareTokenHarness.source.apiKey)"
                for (path, headers) in [("/healthz", [String]()), ("/api/v1/connect/share-tokens", [auth]), ("/", [])] {
                    try await connections[0].send(Self.request("GET", path, headers: headers))
                    let get = try #require(try await connections[0].response())
                    try await connections[0].send(Self.request("HEAD", path, headers: headers))
                    let head = try #require(try await connections[0].response(toHEAD: true))
                    #expect(get.status == 200, "\(path)")
                    #expect(head.status == 200, "\(path)")
                    #expect(head.body.isEmpty)
                    #expect(head.headers["content-type"] == get.headers["content-type"], "\(path)")
                    #expect(head.headers["content-length"] == String(get.body.utf8.count), "\(path)")
                    #expect(head.headers["x-request-id"] != nil)
                }
                // A HEAD the GET route refuses keeps the refusal's status, still without a body.
                try await connections[0].send(Self.request("HEAD", "/api/v1/connect/share-tokens"))
                let unauthorized = try #require(try await connections[0].response(toHEAD: true))
                #expect(unauthorized.status == 401)
                #expect(unauthorized.body.isEmpty)
                // The connection is still in step: the next GET reads whole.
                try await connections[0].send(Self.request("GET", "/healthz"))
                let after = try #require(try await connections[0].response())
                #expect(after.status == 200)
                #expect(after.body.contains(#""status":"ok""#))
            }
        }
    }

    @Test("405 answers list HEAD after GET in Allow; HEAD on a POST-only path is 405")
    func allowListsHead() async throws {
        let configuration = ShareTokenHarness.configuration(clock: ManualClock())
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await KeepAliveConnection.with(1, port: sandbox.port) { connections in
                for (method, path, allow) in [
                    ("DELETE", "/healthz", "GET, HEAD"), ("PUT", "/api/v1/connect/share-tokens", "GET, HEAD, POST"),
                    ("PATCH", "/api/v1/events", "GET, HEAD"),
                ] {
                    try await connections[0].send(Self.request(method, path))
                    let refused = try #require(try await connections[0].response())
                    #expect(refused.status == 405, "\(method) \(path)")
                    #expect(refused.headers["allow"] == allow, "\(method) \(path)")
                }
                try await connections[0].send(Self.request("HEAD", "/oauth/token"))
                let head = try #require(try await connections[0].response(toHEAD: true))
                #expect(head.status == 405)
                #expect(head.headers["allow"] == "POST")
                #expect(head.body.isEmpty)
                try await connections[0].send(Self.request("GET", "/healthz"))
                #expect(try await connections[0].response()?.status == 200)
            }
        }
    }
}
