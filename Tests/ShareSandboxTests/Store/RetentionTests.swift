import Foundation
import Hummingbird
import HummingbirdTesting
import ShareModels
import ShareSandbox
import ShareSandboxServer
import Testing

/// Retention end to end: through the real HTTP server with the control plane's clock, and in a
/// `share-sandbox` process; and the options that set it.
@Suite("retention")
struct RetentionTests {
    /// Waits up to 10 seconds for `condition`.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test("over HTTP: a revoked family is gone once the clock passes the retention; a live token still introspects active",
          arguments: [StoreUnderTest.memory, .sqlite])
    func overHTTP(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store, _ in
            var configuration = SandboxHarness.configuration(clock: ManualClock())
            configuration.retention = SandboxRetention(seconds: 60)
            let app = try await SandboxServer.buildApplication(configuration: configuration, store: store)
            try await app.test(.live) { client in
                let client = SandboxTestClient(client: client)
                let revoked = try await client.clientCredentials(SandboxHarness.lender)
                let revokedAccess = try #require(revoked.string("access_token"))
                let revokedRefresh = try #require(revoked.string("refresh_token"))
                #expect(try await client.revoke(SandboxHarness.lender, revokedRefresh).status == 200)
                let live = try #require(try await client.clientCredentials(SandboxHarness.lender).string("access_token"))

                // Within the retention the revoked tokens stay on record.
                try await client.advanceClock(59)
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await store.token(TokenDigest(of: revokedRefresh)) != nil)

                try await client.advanceClock(2)
                #expect(try await Self.eventually { try await store.token(TokenDigest(of: revokedRefresh)) == nil })
                #expect(try await store.token(TokenDigest(of: revokedAccess)) == nil)
                #expect(try await !client.isActive(SandboxHarness.lender, revokedAccess))
                #expect(try await client.isActive(SandboxHarness.lender, live))
                #expect(try await store.token(TokenDigest(of: live)) != nil)

                // Past the refresh token's expiry (3600 s) and the retention, the live family goes too.
                try await client.advanceClock(3600)
                #expect(try await Self.eventually { try await store.token(TokenDigest(of: live)) == nil })
            }
        }
    }

    @Test("share-sandbox --data FILE.sqlite --retention 60 purges a token family revoked long ago, and keeps a live one")
    func inProcess() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state.sqlite").path
        let store = try SQLiteSandboxStore(path: path)
        var revoked = StoreSamples.token("long-revoked", family: "fam-revoked", expiresAt: 4_000_000_000)
        revoked.revokedAt = 1000
        let live = StoreSamples.token("live", family: "fam-live", expiresAt: 4_000_000_000)
        try await store.insertTokens([revoked, live])

        let process = try SandboxProcess(binary: binary, arguments: ["--data", path, "--retention", "60"])
        defer { process.stop(signal: SIGTERM) }
        #expect(try await Self.eventually { try await store.token(revoked.digest) == nil })
        #expect(try await store.token(live.digest) == live)
    }

    @Test("--retention SECONDS on any store, a day by default, --no-retention or \"retention\": false keeps everything")
    func options() throws {
        let registry = try ShareSandboxCommand.partnerRegistry()
        func configuration(_ arguments: [String]) throws -> SandboxConfiguration {
            try ShareSandboxCommand.parse(arguments).makeConfiguration(partners: registry, logger: .init(label: "test"))
        }
        #expect(try configuration([]).retention == SandboxRetention(seconds: 86_400))
        #expect(try configuration(["--retention", "60"]).retention == SandboxRetention(seconds: 60))
        #expect(try configuration(["--retention", "60", "--data", "state.sqlite"]).retention?.seconds == 60)
        #expect(try configuration(["--retention", "60", "--data", "postgres://u@h/d"]).retention?.seconds == 60)
        #expect(try configuration(["--no-retention"]).retention == nil)
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--retention", "0"]) }
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--retention", "-5"]) }
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--retention", "60", "--no-retention"]) }

        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ json: String) throws -> String {
            let path = folder.appendingPathComponent(UUID().uuidString + ".json").path
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        #expect(try configuration(["--config", file(#"{"retention": 120}"#)]).retention?.seconds == 120)
        #expect(try configuration(["--config", file(#"{"retention": false}"#)]).retention == nil)
        #expect(try configuration(["--config", file(#"{"retention": true}"#)]).retention?.seconds == 86_400)
        #expect(try configuration(["--config", file(#"{"retention": false}"#), "--retention", "30"]).retention?.seconds == 30)
        for bad in [#"{"retention": 0}"#, #"{"retention": "a day"}"#] {
            #expect(throws: SandboxConfigurationError.self) { try configuration(["--config", file(bad)]) }
        }
    }

    @Test("the purge interval is a tenth of the retention, between a second and an hour")
    func interval() {
        #expect(SandboxRetention(seconds: 86_400).interval == .seconds(3600))
        #expect(SandboxRetention(seconds: 600).interval == .seconds(60))
        #expect(SandboxRetention(seconds: 5).interval == .seconds(1))
        #expect(SandboxRetention(seconds: 0, batchSize: 0) == SandboxRetention(seconds: 1, batchSize: 1))
    }
}
