import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ShareSandbox
import Testing

@testable import ShareGateway

/// The gateway serving HTTPS (`--tls-certificate`, `--tls-key`) on a real socket: requests to the
/// sandbox through it, certificate reloads, the protocol floor, the console and CORS by scheme.
@Suite("Gateway serving HTTPS (live)")
struct GatewayHTTPSTests {
    /// A certificate and key for `localhost`, written to files the gateway reads.
    struct CertificateFiles {
        let certificate: SelfSignedCertificate
        let certificatePath: String
        let keyPath: String

        init() throws {
            certificate = try SelfSignedCertificate()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-https-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            certificatePath = directory.appendingPathComponent("certificate.pem").path
            keyPath = directory.appendingPathComponent("key.pem").path
            try write(certificate)
        }

        /// Replaces the files' contents with `replacement`'s.
        func write(_ replacement: SelfSignedCertificate) throws {
            try replacement.certificatePEM.write(toFile: certificatePath, atomically: true, encoding: .utf8)
            try replacement.privateKeyPEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: (certificatePath as NSString).deletingLastPathComponent)
        }

        /// A TLS client context trusting only this certificate, for raw connections
        /// (``HalfClosingClient``).
        func clientContext() throws -> NIOSSLContext {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem)])
            return try NIOSSLContext(configuration: tls)
        }
    }

    /// An HTTPS client trusting only `certificate`, its TLS versions capped at `maximumVersion`.
    static func client(trusting certificate: SelfSignedCertificate, maximumVersion: TLSVersion? = nil) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem)])
        if let maximumVersion {
            tls.minimumTLSVersion = .tlsv1
            tls.maximumTLSVersion = maximumVersion
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool.idleTimeout = .seconds(60)
        // A failed handshake fails the request at once instead of being retried until its deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static func request(_ url: String, method: HTTPMethod = .GET, body: String? = nil, headers: [(String, String)] = []) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        return request
    }

    /// The status of `GET url`, its body read so that the connection can serve the next request.
    static func status(of url: String, with client: HTTPClient) async throws -> HTTPResponseStatus {
        let response = try await client.execute(request(url), timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status
    }

    /// Runs `body` with the base URL of a gateway serving HTTPS with `files`, in front of a
    /// running sandbox.
    static func withHTTPSGateway(
        _ files: CertificateFiles, _ adjust: @escaping (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (String, GatewayComponents) async throws -> Void
    ) async throws {
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0, partners: makePartnerRegistry(), logger: quiet)) { sandbox in
            let configuration = testConfiguration {
                $0.tlsCertificateFile = files.certificatePath
                $0.tlsKeyFile = files.keyPath
                adjust(&$0)
            }
            let components = try GatewayComponents(configuration: configuration, upstreamBaseURL: sandbox.url, credentials: GatewayLauncher.embeddedCredentials)
            let app = buildApplication(components: components, logger: quiet)
            try await app.test(.live) { client in
                try await body("https://localhost:\(try #require(client.port))", components)
            }
        }
    }

    @Test("a frontend reaches the sandbox through the gateway over HTTPS, its credentials injected")
    func httpsToSandbox() async throws {
        let files = try CertificateFiles()
        defer { files.remove() }
        try await Self.withHTTPSGateway(files) { base, _ in
            let client = try Self.client(trusting: files.certificate)
            do {
                let response = try await client.execute(
                    Self.request(base + "/user/create", method: .POST, body: #"{"client_user_id":"https-user"}"#, headers: [("Plaid-Version", "2020-09-14")]),
                    timeout: .seconds(10))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                #expect(response.status == .ok, "\(text)")
                #expect(text.contains("user_id"))
                #expect(try await Self.status(of: base + "/healthz", with: client) == .ok)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test("a reload serves the new certificate to new connections while an open keep-alive connection goes on with the old one")
    func reloadKeepsConnections() async throws {
        let files = try CertificateFiles()
        defer { files.remove() }
        let second = try SelfSignedCertificate()
        try await Self.withHTTPSGateway(files) { base, components in
            let tls = try #require(components.tls)
            let before = try Self.client(trusting: files.certificate)
            let afterNew = try Self.client(trusting: second)
            let afterOld = try Self.client(trusting: files.certificate)
            do {
                #expect(try await Self.status(of: base + "/healthz", with: before) == .ok)
                try files.write(second)
                try tls.reload()
                // The keep-alive connection opened before the reload: it trusts only the first
                // certificate, so it succeeds only on that connection.
                #expect(try await Self.status(of: base + "/healthz", with: before) == .ok)
                // New connections get the second certificate.
                #expect(try await Self.status(of: base + "/healthz", with: afterNew) == .ok)
                await #expect(throws: (any Error).self) {
                    _ = try await Self.status(of: base + "/healthz", with: afterOld)
                }
            } catch {
                Issue.record(error)
            }
            for client in [before, afterNew, afterOld] { try await client.shutdown() }
        }
    }

    @Test("a reload from unusable files fails and keeps the current certificate")
    func failedReloadKeepsCertificate() async throws {
        let files = try CertificateFiles()
        defer { files.remove() }
        try await Self.withHTTPSGateway(files) { base, components in
            let tls = try #require(components.tls)
            try "not a certificate".write(toFile: files.certificatePath, atomically: true, encoding: .utf8)
            #expect(throws: GatewayConfigurationError.self) { try tls.reload() }
            let client = try Self.client(trusting: files.certificate)
            let status = try? await Self.status(of: base + "/healthz", with: client)
            #expect(status == .ok)
            try await client.shutdown()
        }
    }

    @Test("TLS 1.1 and older are refused; TLS 1.2 is served")
    func protocolFloor() async throws {
        let files = try CertificateFiles()
        defer { files.remove() }
        try await Self.withHTTPSGateway(files) { base, _ in
            let old = try Self.client(trusting: files.certificate, maximumVersion: .tlsv11)
            await #expect(throws: (any Error).self) {
                _ = try await Self.status(of: base + "/healthz", with: old)
            }
            try await old.shutdown()
            let tls12 = try Self.client(trusting: files.certificate, maximumVersion: .tlsv12)
            let status = try? await Self.status(of: base + "/healthz", with: tls12)
            #expect(status == .ok)
            try await tls12.shutdown()
        }
    }

    @Test("the console is served over HTTPS, and its origin counts only with the https scheme; listed origins match with their scheme")
    func consoleAndCORS() async throws {
        let files = try CertificateFiles()
        defer { files.remove() }
        try await Self.withHTTPSGateway(files, {
            $0.console = true
            $0.cors = try! CORSPolicy(allowedOrigins: ["https://app.example"])
        }) { base, _ in
            let client = try Self.client(trusting: files.certificate)
            do {
                let console = try await client.execute(Self.request(base + "/console/"), timeout: .seconds(10))
                #expect(console.status == .ok)
                let page = String(buffer: try await console.body.collect(upTo: 1 << 22))
                #expect(page.lowercased().contains("<html"))
                let port = base.split(separator: ":").last!
                func status(origin: String) async throws -> HTTPResponseStatus {
                    let response = try await client.execute(
                        Self.request(base + "/user/create", method: .POST, body: #"{"client_user_id":"cors-user"}"#, headers: [("Origin", origin), ("Plaid-Version", "2020-09-14")]),
                        timeout: .seconds(10))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    return response.status
                }
                #expect(try await status(origin: "https://localhost:\(port)") == .ok)
                #expect(try await status(origin: "http://localhost:\(port)") == .forbidden)
                #expect(try await status(origin: "https://app.example") == .ok)
                #expect(try await status(origin: "http://app.example") == .forbidden)
            } catch {
                Issue.record(error)
            }
            try await client.shutdown()
        }
    }

    @Test("the certificate and key come from flags, the environment or the config file, together; an unreadable key stops the gateway")
    func configuration() async throws {
        let files = try CertificateFiles()
        defer { files.remove() }
        let fromFlags = try await GatewayCommand.parse(["--tls-certificate", files.certificatePath, "--tls-key", files.keyPath]).resolveConfiguration(environment: [:])
        #expect(fromFlags.tlsCertificateFile == files.certificatePath)
        #expect(fromFlags.tlsKeyFile == files.keyPath)
        #expect(fromFlags.servesTLS)
        let fromEnvironment = try await GatewayCommand.parse([]).resolveConfiguration(
            environment: ["SHARE_GATEWAY_TLS_CERTIFICATE": files.certificatePath, "SHARE_GATEWAY_TLS_KEY": files.keyPath])
        #expect(fromEnvironment.tlsCertificateFile == files.certificatePath)
        let configFile = (files.certificatePath as NSString).deletingLastPathComponent + "/gateway.json"
        try #"{"tlsCertificate": "\#(files.certificatePath)", "tlsKey": "\#(files.keyPath)"}"#.write(toFile: configFile, atomically: true, encoding: .utf8)
        let fromFile = try await GatewayCommand.parse(["--config", configFile]).resolveConfiguration(environment: [:])
        #expect(fromFile.tlsKeyFile == files.keyPath)

        await #expect(throws: GatewayConfigurationError.self) {
            _ = try await GatewayCommand.parse(["--tls-certificate", files.certificatePath]).resolveConfiguration(environment: [:])
        }
        let wrongKey = testConfiguration {
            $0.tlsCertificateFile = files.certificatePath
            $0.tlsKeyFile = "/nonexistent/key.pem"
        }
        #expect(throws: GatewayConfigurationError.self) {
            _ = try GatewayComponents(configuration: wrongKey, upstreamBaseURL: "http://127.0.0.1:1")
        }
    }
}
