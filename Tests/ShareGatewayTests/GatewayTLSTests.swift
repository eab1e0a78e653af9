import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import HummingbirdTesting
import NIOCore
import NIOSSL
import Testing

@testable import ShareGateway

/// The gateway in front of an `https` upstream: TLS with certificate and hostname verification.
@Suite("Gateway to a TLS upstream (live)")
struct GatewayTLSTests {
    @Test("an https upstream is reached over verified TLS when its CA is given with --upstream-ca, and refused (502) otherwise")
    func tlsUpstream() async throws {
        let certificate = try SelfSignedCertificate()
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-upstream-ca-\(UUID().uuidString).pem")
        try certificate.certificatePEM.write(to: caFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: caFile) }

        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPEM.utf8), format: .pem))
        )
        let router = Router(context: RecordingUpstream.Context.self)
        router.add(middleware: RecordingUpstream.Echo())
        let upstream = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await upstream.test(.live) { upstreamClient in
            let url = "https://localhost:\(try #require(upstreamClient.port))"
            try await withGateway(upstream: url, testConfiguration { $0.upstreamCAFile = caFile.path }) { client in
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: .json("{}")) {
                    (response) async throws in
                    #expect(response.status == .ok)
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.path == "/oauth/token")
                    #expect(received.values("plaid-secret") == [TestCredentials.secret])
                }
            }
            try await withGateway(upstream: url) { client in
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: .json("{}")) {
                    (response) async throws in
                    #expect(response.status == .badGateway)
                    #expect(String(buffer: response.body).contains("upstream_unavailable"))
                }
            }
        }
    }

    @Test("an unreadable --upstream-ca stops the gateway with a clear error")
    func unreadableCAFile() throws {
        let configuration = testConfiguration { $0.upstreamCAFile = "/nonexistent/ca.pem" }
        #expect(throws: GatewayConfigurationError.self) {
            _ = try GatewayComponents(configuration: configuration, upstreamBaseURL: "https://localhost:1")
        }
    }
}
