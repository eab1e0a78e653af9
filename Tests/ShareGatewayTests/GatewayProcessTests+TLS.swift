#if os(Linux)
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

/// HTTPS in the real binary: `SIGHUP` reaches the certificate reload.
extension GatewayProcessTests {
    @Test("SIGHUP makes the running gateway serve the new certificate to new connections, while an open keep-alive connection goes on")
    func sighupReloadsCertificate() async throws {
        let files = try GatewayHTTPSTests.CertificateFiles()
        defer { files.remove() }
        let second = try SelfSignedCertificate()
        try await Self.withGatewayProcess(arguments: ["--tls-certificate", files.certificatePath, "--tls-key", files.keyPath]) { pid, port in
            let url = "https://localhost:\(port)/healthz"
            let before = try GatewayHTTPSTests.client(trusting: files.certificate)
            let after = try GatewayHTTPSTests.client(trusting: second)
            do {
                #expect(try await GatewayHTTPSTests.status(of: url, with: before) == .ok)
                // Not yet reloaded: the second certificate is not served.
                #expect((try? await GatewayHTTPSTests.status(of: url, with: after)) == nil)
                try files.write(second)
                kill(pid, SIGHUP)
                var reloaded = false
                for _ in 0..<50 where !reloaded {
                    reloaded = (try? await GatewayHTTPSTests.status(of: url, with: after)) == .ok
                    if !reloaded { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(reloaded, "the new certificate was not served within 5 s of SIGHUP")
                #expect(kill(pid, 0) == 0, "the gateway is still running")
                // The connection opened before the reload, which trusts only the first certificate.
                #expect(try await GatewayHTTPSTests.status(of: url, with: before) == .ok)
            } catch {
                Issue.record(error)
            }
            try await before.shutdown()
            try await after.shutdown()
        }
    }
}
#endif
