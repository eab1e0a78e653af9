import Foundation
import Logging
import ShareSandbox
import ShareSandboxServer
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Control plane: on by default, off with --no-control-plane")
struct ControlPlaneSwitchTests {
    static let logger = Logger(label: "test")

    @Test("on in share-sandbox and in an embedded sandbox; --no-control-plane or control_plane: false turns it off")
    func configuration() throws {
        #expect(SandboxConfiguration().controlPlane)
        let defaults = try ShareSandboxCommand.parse([]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(defaults.controlPlane)
        let off = try ShareSandboxCommand.parse(["--no-control-plane"]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(!off.controlPlane)

        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (text, expected) in [(#"{"control_plane": false}"#, false), (#"{"control_plane": true}"#, true), ("{}", true)] {
            let file = folder.appendingPathComponent("config.json")
            try Data(text.utf8).write(to: file)
            let configuration = try ShareSandboxCommand.parse(["--config", file.path])
                .makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
            #expect(configuration.controlPlane == expected, "\(text)")
        }
        let file = folder.appendingPathComponent("config.json")
        try Data(#"{"control_plane": true}"#.utf8).write(to: file)
        let overridden = try ShareSandboxCommand.parse(["--config", file.path, "--no-control-plane"])
            .makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(!overridden.controlPlane)
        try Data(#"{"control_plane": "no"}"#.utf8).write(to: file)
        #expect(throws: (any Error).self) {
            try ShareSandboxCommand.parse(["--config", file.path]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        }
    }

    @Test("the help text explains --no-control-plane")
    func help() {
        let help = ShareSandboxCommand.helpMessage(columns: 200)
        #expect(help.contains("--no-control-plane"))
        #expect(help.contains("Do not serve the /sandbox/ control plane"))
    }

    @Test("switched off, /sandbox/ paths answer 404 in the normal not-found shape, and no fault applies")
    func off() async throws {
        var configuration = ControlPlaneHarness.configuration()
        configuration.controlPlane = false
        try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
            let unknown = try await client.send("/nowhere", method: .get)
            for (path, method) in [
                ("/sandbox/clock", "GET"), ("/sandbox/clock/advance", "POST"), ("/sandbox/faults", "POST"), ("/sandbox/faults", "DELETE"),
                ("/sandbox/reset", "POST"), ("/sandbox/webhooks/test", "POST"), ("/sandbox/events/evt_x/redeliver", "POST"),
            ] {
                let answer = try await client.control(path, method: .init(method)!, body: method == "POST" ? #"{"seconds":1}"# : nil)
                #expect(answer.status == 404, "\(method) \(path)")
                #expect(answer.isOAuthError)
                #expect(answer.error == unknown.error)
                #expect(answer.string("error_description") == "no such endpoint: \(path)")
            }
            let description = try await client.send("/", method: .get)
            #expect(!description.bodyText.contains("/sandbox/"))
        }
        try await LiveAPI.withSandbox(configuration: ControlPlaneHarness.configuration()) { client, _ async throws in
            #expect(try await client.send("/", method: .get).bodyText.contains("POST /sandbox/reset"))
        }
    }

    @Test("share-sandbox --no-control-plane answers 404 under /sandbox/; without it, 200")
    func process() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let off = try SandboxProcess(binary: binary, arguments: ["--no-control-plane"])
        let refused = try await Self.get(off.url, "sandbox/clock")
        #expect(refused.status == 404)
        #expect(refused.body.contains("no such endpoint"))
        #expect(off.stop(signal: SIGTERM) == 0)
        let on = try SandboxProcess(binary: binary, arguments: [])
        #expect(try await Self.get(on.url, "sandbox/clock").status == 200)
        #expect(on.stop(signal: SIGTERM) == 0)
    }

    /// `GET path` as the demo client.
    static func get(_ base: URL, _ path: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.setValue(SandboxDemo.clientID, forHTTPHeaderField: "PLAID-CLIENT-ID")
        request.setValue(SandboxDemo.clientSecret, forHTTPHeaderField: "PLAID-SECRET")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
