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

    static func expectRefusedAndClosed(_ outcome: RawTCPConnection.Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.closedByServer, "the server kept the connection open", sourceLocation: sourceLocation)
        #expect(outcome.received.hasPrefix("HTTP/1.1 413"), "answer: \(outcome.received.prefix(120))", sourceLocation: sourceLocation)
        #expect(outcome.received.lowercased().contains("connection: close"), sourceLocation: sourceLocation)
        #expect(outcome.received.contains("\"error\":\"invalid_request\""), sourceLocation: sourceLocation)
        // The writer could not hand over the whole body: the server stopped reading, and its
        // final close failed the writes. (What it did hand over sat in kernel buffers, which
        // Linux grows to tens of MB on loopback, so only the whole is a reliable bound.)
        #expect(outcome.bytesWritten < declaredSize, "the whole body was taken", sourceLocation: sourceLocation)
    }

    @Test("a 100 MB chunked body is answered 413 and the connection closed without reading the rest")
    func chunkedBody() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: ConnectionLimitTests.patience) { outbound, counter in
                try await outbound.write(ByteBuffer(string: ConnectionLimitTests.tokenRequestHead + "Transfer-Encoding: chunked\r\n\r\n"))
                let chunk = ByteBuffer(string: String(Self.chunkSize, radix: 16) + "\r\n" + String(repeating: "a", count: Self.chunkSize) + "\r\n")
                var sent = 0
                while sent < Self.declaredSize {
                    try await outbound.write(chunk)
                    counter.add(chunk.readableBytes)
                    sent += Self.chunkSize
                }
                try await outbound.write(ByteBuffer(string: "0\r\n\r\n"))
            }
            Self.expectRefusedAndClosed(outcome)
        }
    }

    @Test("a declared 100 MB Content-Length is answered 413 and the connection closed without reading the body")
    func declaredLength() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: ConnectionLimitTests.patience) { outbound, counter in
                try await outbound.write(ByteBuffer(string: ConnectionLimitTests.tokenRequestHead + "Content-Length: \(Self.declaredSize)\r\n\r\n"))
                let chunk = ByteBuffer(string: String(repeating: "a", count: Self.chunkSize))
                var sent = 0
                while sent < Self.declaredSize {
                    try await outbound.write(chunk)
                    counter.add(chunk.readableBytes)
                    sent += Self.chunkSize
                }
            }
            Self.expectRefusedAndClosed(outcome)
        }
    }

    @Test("a share-token body over the limit is 413 in the JSON:API shape and closes the connection")
    func shareTokenBody() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let outcome = try await RawTCPConnection.watch(port: port, for: ConnectionLimitTests.patience) { outbound, counter in
                try await outbound.write(ByteBuffer(string: """
                    POST /api/v1/connect/share-tokens HTTP/1.1\r
                    Host: 127.0.0.1\r
                    Authorization: Bearer \(ShareTokenDemo.sourceAPIKey)\r
                    Content-Type: application/vnd.api+json\r
                    Content-Length: \(Self.declaredSize)\r
                    \r

                    """))
                let chunk = ByteBuffer(string: String(repeating: "a", count: Self.chunkSize))
                var sent = 0
                while sent < Self.declaredSize {
                    try await outbound.write(chunk)
                    counter.add(chunk.readableBytes)
                    sent += Self.chunkSize
                }
            }
            #expect(outcome.closedByServer)
            #expect(outcome.received.hasPrefix("HTTP/1.1 413"), "answer: \(outcome.received.prefix(120))")
            #expect(outcome.received.contains("\"errors\""))
            #expect(outcome.received.lowercased().contains("connection: close"))
            #expect(outcome.bytesWritten < Self.declaredSize)
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
