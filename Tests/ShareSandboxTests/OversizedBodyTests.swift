import Foundation
import NIOCore
import ShareSandbox
import Testing

/// A body over the limit is answered 413 at once, and the connection is closed instead of the
/// rest being read: on a real socket, a 100 MB upload must not be consumed.
@Suite("oversized bodies")
struct OversizedBodyTests {
    static let declaredSize = 100 * 1024 * 1024
    static let chunkSize = 64 * 1024

    static func expectRefusedAndClosed(_ result: BlockingUpload.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.serverClosed, "the server kept the connection open", sourceLocation: sourceLocation)
        #expect(result.received.hasPrefix("HTTP/1.1 413"), "answer: \(result.received.prefix(120))", sourceLocation: sourceLocation)
        #expect(result.received.lowercased().contains("connection: close"), sourceLocation: sourceLocation)
        // A send failed before the whole body was taken: the server stopped reading and then
        // closed. (What was taken sat in kernel buffers, which Linux grows to tens of MB on
        // loopback, so only the whole is a reliable bound.)
        #expect(result.bodyBytesSent < declaredSize, "the whole body was taken", sourceLocation: sourceLocation)
    }

    static let limit = 20

    @Test("a 100 MB chunked body is answered 413 and the connection closed without reading the rest")
    func chunkedBody() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let chunk = Array((String(Self.chunkSize, radix: 16) + "\r\n" + String(repeating: "a", count: Self.chunkSize) + "\r\n").utf8)
            let result = await BlockingUpload.run(
                port: port, head: ConnectionLimitTests.tokenRequestHead + "Transfer-Encoding: chunked\r\n\r\n", body: chunk,
                repetitions: Self.declaredSize / Self.chunkSize, timeLimit: Self.limit)
            Self.expectRefusedAndClosed(result)
            #expect(result.received.contains("\"error\":\"invalid_request\""))
        }
    }

    @Test("a declared 100 MB Content-Length is answered 413 and the connection closed without reading the body")
    func declaredLength() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let result = await BlockingUpload.run(
                port: port, head: ConnectionLimitTests.tokenRequestHead + "Content-Length: \(Self.declaredSize)\r\n\r\n",
                body: Array(repeating: UInt8(ascii: "a"), count: Self.chunkSize), repetitions: Self.declaredSize / Self.chunkSize,
                timeLimit: Self.limit)
            Self.expectRefusedAndClosed(result)
            #expect(result.received.contains("\"error\":\"invalid_request\""))
        }
    }

    @Test("a share-token body over the limit is 413 in the JSON:API shape and closes the connection")
    func shareTokenBody() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let head = "POST /api/v1/connect/share-tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(ShareTokenDemo.sourceAPIKey)\r\nContent-Type: application/vnd.api+json\r\n"
                + "Content-Length: \(Self.declaredSize)\r\n\r\n"
            let result = await BlockingUpload.run(
                port: port, head: head, body: Array(repeating: UInt8(ascii: "a"), count: Self.chunkSize),
                repetitions: Self.declaredSize / Self.chunkSize, timeLimit: Self.limit)
            Self.expectRefusedAndClosed(result)
            #expect(result.received.contains("\"errors\""))
        }
    }

    @Test("a keep-alive request whose body was read completely keeps its connection")
    func completeBodyKeepsConnection() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            try await KeepAliveConnection.with(1, port: port) { connections in
                let body = #"{"grant_type":"client_credentials","client_id":"lender","secret":"lender-secret"}"#
                for _ in 0..<3 {
                    try await connections[0].send(RawTCPConnection.request("POST", "/oauth/token", headers: ["Content-Type: application/json"], body: body))
                    #expect(try await connections[0].responseStatus() == 200)
                }
            }
        }
    }
}
