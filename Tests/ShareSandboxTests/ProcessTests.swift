import Foundation
import ShareSandbox
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs the built `share-sandbox` binary: these need `swift build` to have built it (it is built
/// with the tests by `swift build --build-tests`), or `SHARE_SANDBOX_BINARY` to name it.
@Suite("share-sandbox process", .serialized)
struct ProcessTests {
    @Test("state written with --data survives kill -9")
    func survivesKill() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--data", folder.appendingPathComponent("state.sqlite").path, "--client", "lender:lender-secret"]
        let credentials = ["client_id": "lender", "secret": "lender-secret"]

        let first = try SandboxProcess(binary: binary, arguments: arguments)
        let grant = try await first.post("/oauth/token", credentials.merging(["grant_type": "client_credentials"]) { $1 })
        #expect(grant.status == 200)
        guard case .string(let access) = grant.body["access_token"], case .string(let refresh) = grant.body["refresh_token"] else {
            Issue.record("no tokens: \(grant.body)")
            first.stop(signal: SIGKILL)
            return
        }
        let revokedGrant = try await first.post("/oauth/token", credentials.merging(["grant_type": "client_credentials"]) { $1 })
        guard case .string(let revoked) = revokedGrant.body["access_token"] else {
            Issue.record("no tokens: \(revokedGrant.body)")
            first.stop(signal: SIGKILL)
            return
        }
        #expect(try await first.post("/oauth/revoke", credentials.merging(["token": revoked]) { $1 }).status == 200)
        first.stop(signal: SIGKILL)

        let second = try SandboxProcess(binary: binary, arguments: arguments)
        let claims = try await second.post("/oauth/introspect", credentials.merging(["token": access]) { $1 })
        #expect(claims.body["active"] == .bool(true))
        #expect(claims.body["client_id"] == .string("lender"))
        let refreshClaims = try await second.post("/oauth/introspect", credentials.merging(["token": refresh]) { $1 })
        #expect(refreshClaims.body["active"] == .bool(true))
        let revokedClaims = try await second.post("/oauth/introspect", credentials.merging(["token": revoked]) { $1 })
        #expect(revokedClaims.body["active"] == .bool(false))
        #expect(second.stop(signal: SIGTERM) == 0)
    }

    @Test("prints its URL, serves /healthz, and exits 0 on SIGINT")
    func cleanExit() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let sandbox = try SandboxProcess(binary: binary, arguments: [])
        var request = URLRequest(url: sandbox.url.appendingPathComponent("healthz"))
        request.httpMethod = "GET"
        let (data, _) = try await URLSession.shared.data(for: request)
        let health = try JSONDecoder().decode([String: AttributeValue].self, from: data)
        #expect(health["status"] == .string("ok"))
        #expect(sandbox.stop(signal: SIGINT) == 0)
    }
}
