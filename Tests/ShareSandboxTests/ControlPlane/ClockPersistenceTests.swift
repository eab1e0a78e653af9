import Foundation
import ShareModels
import ShareSandbox
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Control plane: the clock offset and the store", .serialized)
struct ClockPersistenceTests {
    @Test("with SQLite the offset survives a restart, a clock reset too; in memory it starts at zero")
    func offsetAcrossRestarts() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let sqlite = ControlPlaneHarness.configuration(clock: clock, storage: .sqlite(path: folder.appendingPathComponent("clock.sqlite").path))
        try await LiveAPI.withSandbox(configuration: sqlite) { client, _ in
            let offset = try await client.advanceClock(3600)
            #expect(offset == 3600)
        }
        try await LiveAPI.withSandbox(configuration: sqlite) { client, _ in
            let answer = try await client.control("/sandbox/clock", method: .get)
            #expect(answer.integer("offset_seconds") == 3600)
            #expect(try await client.sandboxNow() == clock.now.addingTimeInterval(3600))
            // Tokens issued now expire on the restarted clock too.
            let token = try #require(try await client.clientCredentials(SandboxHarness.lender).string("access_token"))
            #expect(try await client.introspect(SandboxHarness.lender, token).integer("exp") == Int(clock.now.timeIntervalSince1970) + 3600 + 900)
            #expect(try await client.control("/sandbox/clock/reset").integer("offset_seconds") == 0)
        }
        try await LiveAPI.withSandbox(configuration: sqlite) { client, _ in
            #expect(try await client.control("/sandbox/clock", method: .get).integer("offset_seconds") == 0)
            try await client.advanceClock(42)
        }
        // With the control plane off, a stored offset is not applied.
        var off = sqlite
        off.controlPlane = false
        let services = try await SandboxServices(configuration: off)
        #expect(services.control.timeline.offsetSeconds == 0)
        #expect(services.configuration.clock.now() == clock.now)
        #expect(try await services.store.clockSetting().offsetSeconds == 42)

        let memory = ControlPlaneHarness.configuration(clock: clock)
        try await LiveAPI.withSandbox(configuration: memory) { client, _ in try await client.advanceClock(60) }
        try await LiveAPI.withSandbox(configuration: memory) { client, _ in
            let answer = try await client.control("/sandbox/clock", method: .get)
            #expect(answer.integer("offset_seconds") == 0)
        }
    }

    @Test("share-sandbox --data keeps the offset across a restart of the process")
    func processRestart() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--data", folder.appendingPathComponent("state.sqlite").path, "--client", "lender:lender-secret"]

        let first = try SandboxProcess(binary: binary, arguments: arguments)
        let advanced = try await Self.call(first.url, "sandbox/clock/advance", method: "POST", body: #"{"seconds": 86400}"#)
        #expect(advanced.status == 200)
        #expect(advanced.json["offset_seconds"] == .integer(86400))
        #expect(first.stop(signal: SIGTERM) == 0)

        let second = try SandboxProcess(binary: binary, arguments: arguments)
        let clock = try await Self.call(second.url, "sandbox/clock", method: "GET")
        #expect(clock.json["offset_seconds"] == .integer(86400))
        if case .string(let now)? = clock.json["now"], let timestamp = Timestamp(parsing: now) {
            #expect(abs(timestamp.date.timeIntervalSinceNow - 86400) < 60)
        } else {
            Issue.record("no now: \(clock.json)")
        }
        #expect(second.stop(signal: SIGTERM) == 0)
    }

    /// A control-plane call to a `share-sandbox` process as `lender`.
    static func call(_ base: URL, _ path: String, method: String, body: String? = nil) async throws
        -> (status: Int, json: [String: AttributeValue])
    {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Basic " + Data("lender:lender-secret".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONDecoder().decode([String: AttributeValue].self, from: data)) ?? [:])
    }
}
