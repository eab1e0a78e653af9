import Foundation
import NIOCore
import Testing

@testable import ShareGateway

/// Bodies over a limit are cut off, not read: the gateway answers 413 and closes the connection
/// without reading the rest, and the router-answered operations endpoints take no body at all.
@Suite("Gateway body limits (live)")
struct GatewayBodyLimitTests {
    @Test("a declared Content-Length over the limit is answered 413 and the connection closed, the body never read")
    func declaredOversizeClosesTheConnection() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.maximumBodySize = 1024 }) { connection, upstream in
            // The head alone: the gateway must answer without waiting for 10 MB that never come.
            try await connection.send("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n")
            let reply = try await connection.readResponse()
            #expect(reply.status == 413)
            #expect(reply.header("connection")?.lowercased() == "close")
            #expect(try await connection.isClosedByServer())
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("a chunked body of a refused request is dropped only up to the body limit, then the connection closes")
    func refusedChunkedBodyIsNotReadForever() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.maximumBodySize = 1024 }) { connection, upstream in
            try await connection.send("POST /not/listed HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
            let reply = try await connection.readResponse()
            #expect(reply.status == 404)
            let chunk = String(repeating: "a", count: 4096)
            try await connection.send("1000\r\n\(chunk)\r\n")
            #expect(try await connection.isClosedByServer())
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("a small body of a refused request is dropped and the connection kept for the next request")
    func smallRefusedBodyKeepsTheConnection() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, upstream in
            try await connection.send(GatewayHeaderIntegrityTests.request("POST", "/not/listed", headers: ["Host: 127.0.0.1"], body: "{}"))
            #expect(try await connection.readResponse().status == 404)
            try await connection.send(GatewayHeaderIntegrityTests.request(headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: "{}"))
            #expect(try await connection.readResponse().status == 200)
            #expect(upstream.requests.count == 1)
        }
    }

    @Test("operations endpoints take no body: over 1 KiB, or chunked, is answered 413 and the connection closed", arguments: ["/healthz", "/metrics", "/readyz"])
    func operationsRefuseBodies(path: String) async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, _ in
            try await connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n")
            let reply = try await connection.readResponse(method: "GET")
            #expect(reply.status == 413)
            #expect(try await connection.isClosedByServer())
        }
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, _ in
            try await connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
            let reply = try await connection.readResponse(method: "GET")
            #expect(reply.status == 413)
            #expect(try await connection.isClosedByServer())
        }
    }

    @Test("an operations request with a small body is still answered, and the connection kept")
    func operationsAcceptATinyBody() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, _ in
            try await connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi")
            #expect(try await connection.readResponse(method: "GET").status == 200)
            try await connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await connection.readResponse(method: "GET").status == 200)
        }
    }
}
