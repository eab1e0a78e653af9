import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@testable import ShareGateway

@Suite("Gateway operations")
struct GatewayOperationsTests {
    @Test("access logs carry one structured line per request and never a secret, token or body")
    func accessLogsAreRedacted() async throws {
        let handler = InMemoryLogHandler()
        try await RecordingUpstream.run { upstream in
            let configuration = testConfiguration { $0.accessLog = true; $0.logLevel = .trace }
            let components = try GatewayComponents(configuration: configuration, upstreamBaseURL: upstream)
            var logger = Logger(label: "gateway", factory: { _ in handler })
            logger.logLevel = .trace
            let app = buildApplication(components: components, logger: logger)
            try await app.test(.live) { client in
                var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer client-bearer-secret"]
                headers[HTTPField.Name("PLAID-SECRET")!] = "client-header-secret"
                headers[.xRequestID] = "log-req-1"
                _ = try await client.execute(
                    uri: "/oauth/token?client_secret=query-secret", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"secret":"client-body-secret","subject_token":"usr_body_token","grant_type":"client_credentials"}"#))
                _ = try await client.execute(uri: "/not/allowed/usr_path_token", method: .get)
            }
        }
        let entries = handler.entries
        let requestLines = entries.filter { $0.message.description == "request" }
        #expect(requestLines.count == 2)
        let first = try #require(requestLines.first)
        #expect(first.metadata["request.id"] == "log-req-1")
        #expect(first.metadata["status"]?.description == "200")
        #expect(first.metadata["route"] == "/oauth/token")
        #expect(first.metadata["method"] == "POST")
        #expect(requestLines.last?.metadata["route"] == "unmatched")
        let everything = entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        for secret in [
            "client-bearer-secret", "client-header-secret", "query-secret", "client-body-secret", "usr_body_token", "usr_path_token",
            TestCredentials.secret, TestCredentials.shareAPIKey,
        ] {
            #expect(!everything.contains(secret), "\(secret) was logged")
        }
    }

    @Test("GET /healthz answers without the upstream; /metrics speaks Prometheus")
    func healthAndMetrics() async throws {
        try await withGateway(upstream: "http://127.0.0.1:1") { client in
            try await client.execute(uri: "/healthz", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok","service":"share-gateway"}"#)
                #expect(response.headers[.xRequestID] != nil)
            }
            try await client.execute(uri: "/metrics", method: .get) { (response) async throws in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body).contains("# TYPE gateway_requests_total counter"))
            }
        }
    }

    @Test("graceful shutdown lets an in-flight request finish")
    func gracefulShutdownFinishesInFlightRequests() async throws {
        let held = HeldUpstream()
        try await held.run { upstream in
            let components = try GatewayComponents(configuration: testConfiguration(), upstreamBaseURL: upstream)
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = buildApplication(
                components: components, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
            }
            let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let inFlight = Task {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/oauth/token")
                    request.method = .POST
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    let body = try await response.body.collect(upTo: 1 << 16)
                    return (response.status.code, String(buffer: body))
                }
                await held.waitForRequest()
                await group.triggerGracefulShutdown()
                held.release()
                let (status, body) = try await inFlight.value
                #expect(status == 200)
                #expect(body == "released")
                try await tasks.waitForAll()
            }
        }
    }
}

/// An upstream that holds each request until the test releases it.
final class HeldUpstream: Sendable {
    private let received = AsyncStream.makeStream(of: Void.self)
    private let released = AsyncStream.makeStream(of: Void.self)

    func waitForRequest() async {
        var iterator = received.stream.makeAsyncIterator()
        _ = await iterator.next()
    }

    func release() { released.continuation.yield() }

    func run(_ body: @Sendable @escaping (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/oauth/token") { [received, released] _, _ -> String in
            received.continuation.yield()
            var iterator = released.stream.makeAsyncIterator()
            _ = await iterator.next()
            return "released"
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
