import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ShareClient
import ShareCredentials
import SharePartners
import ShareSandbox
import ShareTestSupport
import ShareTransportAHC
import ShareWire
import Testing

@testable import ShareShell

/// `sandbox clock …`, `sandbox fault …`, `sandbox faults`, `sandbox reset` and `events redeliver`
/// against a sandbox in this process, through its control plane.
@Suite("sandbox control commands")
struct SandboxCommandTests {
    /// Runs `body` with an interpreter on a sandbox of its own, printing JSON; the demo lender's
    /// webhooks go to `lenderWebhookURL` when given.
    func withShell(lenderWebhookURL: String? = nil, _ body: (inout ShellInterpreter, URL) async throws -> Void) async throws {
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        if let lenderWebhookURL {
            var seed = ShareTokenDemo.seed
            for index in seed.organizations.indices where seed.organizations[index].id == ShareTokenDemo.sourceOrganizationID {
                seed.organizations[index].webhookURL = lenderWebhookURL
                seed.organizations[index].webhookSecret = "whsec-shell-test"
            }
            configuration.shareTokenSeed = seed
        }
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = URL(string: sandbox.url)!
                let credentials = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)
                let oauth = OAuthClient(environment: .custom(url), credentials: credentials, transport: transport)
                var context = ShellContext(target: .embedded(url), clientID: SandboxDemo.clientID, oauth: oauth, partners: .empty)
                context.shareTokens = ShareTokenClient(environment: .custom(url), apiKey: APIKey(ShareTokenDemo.sourceAPIKey), transport: transport)
                context.sandboxControl = SandboxControl(environment: .custom(url), credentials: credentials, transport: transport)
                var shell = ShellInterpreter(context: context, style: OutputStyle(json: true, reveal: false, color: false))
                try await body(&shell, url)
            }
        }
    }

    func json(_ result: ShellInterpreter.LineResult) -> JSONValue? {
        result.output.flatMap { try? JSONValue(parsing: Array($0.utf8)) }
    }

    @Test("sandbox clock shows the clock; advance takes s, m, h and d; clock reset; a bad amount is a usage error")
    func clock() async throws {
        try await withShell { shell, _ in
            let shown = await shell.run(line: "sandbox clock")
            #expect(shown.status == .ok, "\(shown.error ?? "")")
            #expect(json(shown)?.value(at: ["offset_seconds"]) == .integer(0))
            #expect(json(shown)?.value(at: ["now"])?.stringValue != nil)
            #expect(json(await shell.run(line: "sandbox clock show"))?.value(at: ["offset_seconds"]) == .integer(0))
            var total = 0
            for (amount, seconds) in [("30s", 30), ("90m", 5400), ("2h", 7200), ("14d", 1_209_600)] {
                total += seconds
                let advanced = await shell.run(line: "sandbox clock advance \(amount)")
                #expect(advanced.status == .ok, "\(advanced.error ?? "")")
                #expect(json(advanced)?.value(at: ["offset_seconds"]) == .integer(total), "\(amount)")
            }
            #expect(json(await shell.run(line: "sandbox clock"))?.value(at: ["offset_seconds"]) == .integer(total))
            #expect(json(await shell.run(line: "sandbox clock reset"))?.value(at: ["offset_seconds"]) == .integer(0))
            for bad in ["14", "14x", "d", "-1d", "1.5h", "99999999d"] {
                let refused = await shell.run(line: "sandbox clock advance -- \(bad)")
                #expect(refused.status == .usage, "\(bad): \(refused.output ?? "")")
            }
            let noUnit = await shell.run(line: "sandbox clock advance 14")
            #expect(noUnit.error?.contains("s, m, h or d (30s, 90m, 1h, 14d)") == true, "\(noUnit.error ?? "")")
            // A negative amount reaches the amount's own check, with or without `--`.
            for line in ["sandbox clock advance -5d", "sandbox clock advance -- -5d", "sandbox clock advance --json -5d"] {
                let backwards = await shell.run(line: line)
                #expect(backwards.status == .usage, "\(line)")
                #expect(backwards.error?.contains("the clock only moves forward") == true, "\(line): \(backwards.error ?? "")")
            }
            let typo = await shell.run(line: "sandbox clock advance 1d --jsn")
            #expect(typo.status == .usage)
            #expect(typo.error?.contains("unknown option '--jsn'. Did you mean '--json'?") == true, "\(typo.error ?? "")")
            let two = await shell.run(line: "sandbox clock advance 1d 2d")
            #expect(two.status == .usage)
            #expect(two.error?.contains("give one amount") == true, "\(two.error ?? "")")
            let none = await shell.run(line: "sandbox clock advance")
            #expect(none.error?.contains("give how far to move the clock") == true, "\(none.error ?? "")")
            #expect(json(await shell.run(line: "sandbox clock advance --json 1h"))?.value(at: ["offset_seconds"]) == .integer(3600))
            #expect(json(await shell.run(line: "sandbox clock"))?.value(at: ["offset_seconds"]) == .integer(3600), "refusals moved the clock")
        }
    }

    @Test("advance's usage line, written out because its amount takes `-5d`, names the options the other clock commands do")
    func advanceUsage() {
        func usage(_ command: any ParsableCommand.Type) -> String {
            ShellCommand.helpMessage(for: command, columns: 200).split(separator: "\n").first { $0.hasPrefix("USAGE:") }.map(String.init) ?? ""
        }
        let reset = usage(SandboxClockCommand.Reset.self)
        #expect(reset.hasPrefix("USAGE: share sandbox clock reset ["), "\(reset)")
        #expect(usage(SandboxClockCommand.Advance.self) == reset.replacingOccurrences(of: "clock reset", with: "clock advance <amount>"))
    }

    @Test("sandbox fault add with every option, sandbox faults, fault clear by id and all")
    func faults() async throws {
        try await withShell { shell, _ in
            let added = await shell.run(line: "sandbox fault add --path /oauth/token --status 503 --times 2")
            #expect(added.status == .ok, "\(added.error ?? "")")
            guard case .string(let id)? = json(added)?.value(at: ["id"]) else {
                Issue.record("no fault id: \(added.output ?? added.error ?? "")")
                return
            }
            #expect(id.hasPrefix("flt_"))
            #expect(json(added)?.value(at: ["times"]) == .integer(2))
            #expect(json(added)?.value(at: ["status"]) == .integer(503))
            // $last refers to it, like any result.
            #expect(json(await shell.run(line: "sandbox faults"))?.value(at: ["faults", "0", "id"]) == .string(id))

            let everything = await shell.run(
                line: #"sandbox fault add --path /oauth/introspect --method post --client-id demo --status 429 --body '{"error_code":"RATE_LIMIT"}' --delay-ms 5 --times 3"#)
            #expect(everything.status == .ok, "\(everything.error ?? "")")
            #expect(json(everything)?.value(at: ["method"]) == .string("POST"))
            #expect(json(everything)?.value(at: ["client_id"]) == .string("demo"), "\(everything.output ?? "")")
            #expect(json(everything)?.value(at: ["delay_ms"]) == .integer(5))
            #expect(json(everything)?.value(at: ["body", "error_code"]) == .string("RATE_LIMIT"))
            let dropped = await shell.run(line: "sandbox fault add --path /oauth/revoke --drop-connection")
            #expect(json(dropped)?.value(at: ["drop_connection"]) == .bool(true), "\(dropped.error ?? "")")
            #expect(json(dropped)?.value(at: ["times"]) == .integer(1))
            #expect(json(dropped)?.value(at: ["remaining"]) == .integer(1))

            // The injected 503 meets the next token request: the API refused, exit code 1.
            let refused = await shell.run(line: "token client-credentials")
            #expect(refused.status == .apiError, "\(refused.output ?? "")")
            let listed = json(await shell.run(line: "sandbox faults"))
            #expect(listed?.value(at: ["faults", "0", "remaining"]) == .integer(1))
            #expect(listed?.value(at: ["faults", "0", "times"]) == .integer(2))

            let cleared = await shell.run(line: "sandbox fault clear \(id)")
            #expect(cleared.status == .ok, "\(cleared.error ?? "")")
            #expect(cleared.note == "cleared \(id)")
            #expect(json(cleared)?.value(at: ["id"]) == .string(id))
            #expect(await shell.run(line: "sandbox fault clear \(id)").status == .apiError)
            let clearedAll = await shell.run(line: "sandbox fault clear")
            #expect(json(clearedAll) == .object(["removed": .integer(2)]), "\(clearedAll.output ?? clearedAll.error ?? "")")
            #expect(json(await shell.run(line: "sandbox faults")) == .object(["faults": .array([])]))
            #expect(await shell.run(line: "token client-credentials").status == .ok)

            for bad in [
                "sandbox fault add --path /oauth/token", "sandbox fault add --path oauth/token --status 503",
                "sandbox fault add --path /oauth/token --status 503 --times 0", "sandbox fault add --path /oauth/token --status 99",
                "sandbox fault add --path /oauth/token --status 503 --body nope", "sandbox fault add --path /oauth/token --body {}",
                "sandbox fault add --path /oauth/token --status 503 --method 'P O'", "sandbox fault add --status 503",
                "sandbox fault add --path /oauth/token --status 503 --drop-connection", "sandbox fault add --path /oauth/token --delay-ms 0",
            ] {
                #expect(await shell.run(line: bad).status == .usage, "\(bad)")
            }
        }
    }

    @Test("sandbox reset: tokens gone, faults cleared, clock back")
    func reset() async throws {
        try await withShell { shell, _ in
            let issued = await shell.run(line: "token client-credentials")
            guard case .string(let token)? = json(issued)?.value(at: ["access_token"]) else {
                Issue.record("no token: \(issued.error ?? "")")
                return
            }
            _ = await shell.run(line: "sandbox clock advance 1d")
            _ = await shell.run(line: "sandbox fault add --path /oauth/revoke --status 500 --times 4")
            let reset = await shell.run(line: "sandbox reset")
            #expect(reset.status == .ok, "\(reset.error ?? "")")
            #expect((reset.note ?? reset.output ?? "").contains("start state"))
            #expect(json(await shell.run(line: "sandbox clock"))?.value(at: ["offset_seconds"]) == .integer(0))
            #expect(json(await shell.run(line: "sandbox faults")) == .object(["faults": .array([])]))
            #expect(json(await shell.run(line: "introspect \(token)"))?.value(at: ["active"]) == .bool(false))
        }
    }

    /// Counts the webhooks a receiver got.
    actor Deliveries {
        var count = 0
        func received() { count += 1 }
    }

    @Test("events redeliver sends an event's webhook again; a malformed id is a usage error, an unknown one or no endpoint the API's refusal")
    func redeliver() async throws {
        let deliveries = Deliveries()
        let router = Router()
        router.post("/hooks") { _, _ -> HTTPResponse.Status in
            await deliveries.received()
            return .noContent
        }
        try await withLiveServer(router) { port in
            try await withShell(lenderWebhookURL: "http://127.0.0.1:\(port)/hooks") { shell, _ in
                let created = await shell.run(line: "share-token create --connection cxn_demo --source inq_demo")
                #expect(created.status == .ok, "\(created.error ?? "")")
                let events = await shell.run(line: "events list")
                guard case .string(let event)? = json(events)?.value(at: ["data", "0", "id"]) else {
                    Issue.record("no event: \(events.output ?? events.error ?? "")")
                    return
                }
                // The event's own delivery goes out in the background; count from after it.
                let deadline = ContinuousClock.now + .seconds(10)
                while await deliveries.count == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                let before = await deliveries.count
                #expect(before == 1)
                let redelivered = await shell.run(line: "events redeliver \(event)")
                #expect(redelivered.status == .ok, "\(redelivered.error ?? "")")
                #expect(json(redelivered)?.value(at: ["event_id"]) == .string(event))
                #expect(json(redelivered)?.value(at: ["delivered"]) == .bool(true))
                #expect(json(redelivered)?.value(at: ["status"]) == .integer(204))
                #expect(redelivered.note == "delivered to http://127.0.0.1:\(port)/hooks")
                #expect(await deliveries.count == before + 1)
                #expect(await shell.run(line: "events redeliver not-an-event").status == .usage)
                #expect(await shell.run(line: "events redeliver evt_unknown").status == .apiError)
            }
        }
        // Without a webhook endpoint the sandbox refuses (409 NO_WEBHOOK_URL), in one line.
        try await withShell { shell, _ in
            _ = await shell.run(line: "share-token create --connection cxn_demo --source inq_demo")
            guard case .string(let event)? = json(await shell.run(line: "events list"))?.value(at: ["data", "0", "id"]) else {
                Issue.record("no event")
                return
            }
            let refused = await shell.run(line: "events redeliver \(event)")
            #expect(refused.status == .apiError)
            #expect(refused.error?.contains("NO_WEBHOOK_URL") == true, "\(refused.error ?? "")")
        }
    }

    @Test("behind a share-gateway that does not forward /sandbox…, the refusal names the --allow-path entry")
    func gatewayRefusal() throws {
        let notForwarded = ShareClientError(
            code: .apiRefused, operation: "sandbox.clock", status: 404,
            underlyingError: OAuthError(
                code: "not_found", errorDescription: "this gateway does not forward or answer that path", status: 404, operation: "sandbox.clock"))
        let gateway = URL(string: "http://127.0.0.1:8081")!
        let explained = try #require(ControlPlaneUnavailable.explaining(notForwarded, target: .gateway(gateway)))
        #expect(explained.description.contains("--allow-path 'GET,POST,DELETE /sandbox…'"))
        #expect(ShellFailure(explained).exitCode == .apiError)
        // Elsewhere a 404 to a call every control plane answers means there is none; to removing a
        // fault it may just mean an unknown id, shown as the API said it.
        #expect(ControlPlaneUnavailable.explaining(notForwarded, target: .custom(gateway))?.description.contains("--no-control-plane") == true)
        var unknownFault = notForwarded
        unknownFault.operation = "sandbox.faults.remove"
        #expect(ControlPlaneUnavailable.explaining(unknownFault, target: .custom(gateway)) == nil)
    }

    @Test("a sandbox without a control plane: the commands say so, naming --no-control-plane")
    func noControlPlane() async throws {
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        configuration.controlPlane = false
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = URL(string: sandbox.url)!
                let credentials = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)
                var context = ShellContext(target: .custom(url), clientID: SandboxDemo.clientID, oauth: nil, partners: .empty)
                context.sandboxControl = SandboxControl(environment: .custom(url), credentials: credentials, transport: transport)
                var shell = ShellInterpreter(context: context, style: OutputStyle(json: true, reveal: false, color: false))
                for line in ["sandbox clock", "sandbox clock advance 1d", "sandbox faults", "sandbox fault clear", "sandbox reset"] {
                    let refused = await shell.run(line: line)
                    #expect(refused.status == .apiError, "\(line)")
                    #expect(refused.error?.contains("no sandbox control plane") == true, "\(line): \(refused.error ?? "")")
                    #expect(refused.error?.contains("--no-control-plane") == true, "\(line): \(refused.error ?? "")")
                }
            }
        }
    }
}
