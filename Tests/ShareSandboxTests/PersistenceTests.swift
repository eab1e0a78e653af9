import Foundation
import ShareSandbox
import Testing

@Suite("SQLite persistence")
struct PersistenceTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sharekit-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every byte SQLite wrote for `path`: the database, its WAL and shared memory.
    static func databaseBytes(_ path: String) -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: path + suffix) { bytes.append(data) }
        }
        return bytes
    }

    @Test("tokens, revocations, rotations and users survive reopening the database")
    func survivesReopen() async throws {
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let clock = ManualClock()
        let configuration = SandboxHarness.configuration(clock: clock, storage: .sqlite(path: path))

        let saved = TokenBox()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let kept = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            let revoked = try await client.clientCredentials(SandboxHarness.lender)
            _ = try await client.revoke(SandboxHarness.lender, try #require(revoked.string("refresh_token")))
            let spent = try await client.clientCredentials(SandboxHarness.lender)
            let spentRefresh = try #require(spent.string("refresh_token"))
            _ = try await client.refresh(SandboxHarness.lender, spentRefresh)
            let user = try await client.createUser(SandboxHarness.lender, clientUserID: "persisted")
            saved.set([
                "kept": try #require(kept.string("access_token")), "revoked": try #require(revoked.string("access_token")),
                "spent": spentRefresh, "user": user,
            ])
        }
        let tokens = saved.get()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            #expect(try await client.isActive(SandboxHarness.lender, tokens["kept"]!))
            #expect(try await !client.isActive(SandboxHarness.lender, tokens["revoked"]!))
            // The refresh token spent before the restart is still known as spent: reuse.
            #expect(try await client.refresh(SandboxHarness.lender, tokens["spent"]!).error == "invalid_grant")
            #expect(try await client.createUser(SandboxHarness.lender, clientUserID: "persisted") == tokens["user"])
            let exchange = try await client.exchange(
                SandboxHarness.lender, subject: tokens["user"]!, type: TokenExchangeTests.multiUser, audience: TokenExchangeTests.fannieURN)
            #expect(exchange.status == 200)
        }
    }

    @Test("a user's identity and legacy user_token survive reopening the database; the token is kept as a digest")
    func identitySurvivesReopen() async throws {
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let configuration = SandboxHarness.configuration(clock: ManualClock(), storage: .sqlite(path: path))
        let saved = TokenBox()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let legacy = try await client.rawJSON(
                "/user/create",
                #"{\#(UserCreateTests.credentials), "client_user_id": "kept", "identity": \#(UserCreateTests.identity), "consumer_report_user_identity": \#(UserCreateTests.legacyIdentity)}"#)
            saved.set(["token": try #require(legacy.string("user_token")), "user": try #require(legacy.string("user_id"))])
        }
        let store = try SQLiteSandboxStore(path: path)
        let user = try #require(try await store.user(id: saved.get()["user"]!))
        let identity = try #require(user.identityJSON)
        #expect(identity.contains("Lovelace") && identity.contains("us_ssn_last_4") && identity.contains("primary_address"))
        #expect(try await store.user(tokenDigest: TokenDigest(of: saved.get()["token"]!))?.id == user.id)
        #expect(!Self.databaseBytes(path).contains(Data(saved.get()["token"]!.utf8)))
        #expect(!"\(user)".contains("Lovelace"))
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let exchange = try await client.exchange(
                SandboxHarness.lender, subject: saved.get()["token"]!, type: TokenExchangeTests.multiUser,
                audience: TokenExchangeTests.fannieURN)
            #expect(exchange.status == 200, "\(exchange.bodyText)")
        }
    }

    @Test("the database file holds no token and no secret in plain text")
    func noPlaintext() async throws {
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let configuration = SandboxHarness.configuration(clock: ManualClock(), storage: .sqlite(path: path))
        let issued = TokenBox()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            var values: [String: String] = [:]
            let grant = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            values["access"] = try #require(grant.string("access_token")) as String
            values["refresh"] = try #require(grant.string("refresh_token")) as String
            let rotated = try await client.refresh(SandboxHarness.lender, values["refresh"]!)
            values["rotated"] = try #require(rotated.string("refresh_token")) as String
            let exchanged = try await client.exchange(
                SandboxHarness.lender, subject: values["rotated"]!, type: TokenExchangeTests.oauthUserToken, audience: "other-app")
            values["exchanged"] = try #require(exchanged.string("access_token")) as String
            issued.set(values)
        }
        let bytes = Self.databaseBytes(path)
        #expect(bytes.count > 0)
        var secrets = issued.get().values.flatMap { [$0, String($0.dropFirst(4))] }
        secrets += SandboxHarness.clients.map(\.secret)
        for secret in secrets {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "found \(secret.prefix(4))… in the database file")
        }
        // The client ids are there, so the search itself works.
        #expect(bytes.range(of: Data("other-app".utf8)) != nil)
    }
}

/// Carries values out of a `@Sendable` test closure.
final class TokenBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    func set(_ new: [String: String]) { lock.withLock { values = new } }
    func get() -> [String: String] { lock.withLock { values } }
}
