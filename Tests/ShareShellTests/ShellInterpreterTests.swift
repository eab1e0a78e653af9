import Foundation
import Logging
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareClient
import ShareCredentials
import SharePartners
import ShareSandbox
import ShareTransportAHC
import Testing
import ShareWire

@testable import ShareShell

/// The command layer end to end: lines in, rendered results and exit codes out, against a sandbox
/// running in this process.
@Suite("ShellInterpreter")
struct ShellInterpreterTests {
    static let partners = try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()])

    /// Runs `body` with an interpreter connected to a fresh in-process sandbox.
    func withShell(json: Bool = true, _ body: (inout ShellInterpreter) async throws -> Void) async throws {
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0, partners: Self.partners)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let client = OAuthClient(
                    environment: .custom(URL(string: sandbox.url)!),
                    credentials: ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret),
                    transport: transport, partners: Self.partners)
                let context = ShellContext(
                    target: .embedded(URL(string: sandbox.url)!), clientID: SandboxDemo.clientID, oauth: client, partners: Self.partners)
                var interpreter = ShellInterpreter(context: context, style: OutputStyle(json: json, reveal: false, color: false))
                try await body(&interpreter)
            }
        }
    }

    /// A field of a line's JSON output, `nil` when there is no such output or field.
    func field(_ result: ShellInterpreter.LineResult, _ name: String) -> JSONValue? {
        guard let output = result.output, let value = try? JSONValue(parsing: Array(output.utf8)) else { return nil }
        return value.value(at: [name])
    }

    @Test("user create, exchange to a partner, introspect: an active token for that partner")
    func craFlow() async throws {
        try await withShell { shell in
            let user = await shell.run(line: "user create")
            #expect(user.status == .ok)
            let exchange = await shell.run(line: "token exchange --user $last.user_id --partner fannie-mae")
            #expect(exchange.status == .ok, "\(exchange.error ?? "")")
            let introspection = await shell.run(line: "introspect $last.access_token")
            #expect(field(introspection, "active") == .bool(true))
            #expect(field(introspection, "aud") == .string("urn:plaid:params:cra-partner:fannie-mae"))
        }
    }

    @Test("user create sends the identity flags; a refused identity prints Plaid's error_code")
    func userCreateIdentity() async throws {
        try await withShell { shell in
            let created = await shell.run(
                line: "user create --client-user-id ada --given-name Ada --family-name Lovelace --date-of-birth 1985-12-10 "
                    + "--email ada@example.com --phone +14155550123 --street '1 Main St' --city SF --region CA --postal-code 94105 "
                    + "--country US --ssn-last-4 1234")
            #expect(created.status == .ok, "\(created.error ?? "")")
            #expect(field(created, "user_id")?.stringValue?.hasPrefix("usr_") == true)
            let refused = await shell.run(line: "user create --client-user-id bad --date-of-birth 1985-02-30")
            #expect(refused.status != .ok)
            #expect(refused.error?.contains("INVALID_FIELD") == true, "\(refused.error ?? "")")
            #expect(refused.error?.contains("identity.date_of_birth") == true)
            #expect(refused.error?.contains("1985-02-30") == false)
        }
    }

    @Test("share report creates the user when needed and names every partner")
    func shareReport() async throws {
        try await withShell { shell in
            let result = await shell.run(line: "share report --with fannie-mae,experian")
            #expect(result.status == .ok, "\(result.error ?? "")")
            #expect(field(result, "partners") == .array([.string("fannie-mae"), .string("experian")]))
            let introspection = await shell.run(line: "introspect $1.access_token")
            #expect(
                field(introspection, "aud")
                    == .string("urn:plaid:params:cra-partner:fannie-mae,urn:plaid:params:cra-partner:experian"))
        }
    }

    @Test("revoke makes the token inactive; refresh rotates")
    func revokeAndRefresh() async throws {
        try await withShell { shell in
            #expect(await shell.run(line: "token client-credentials --scope user:read").status == .ok)
            let refreshed = await shell.run(line: "token refresh --refresh-token $1.refresh_token")
            #expect(refreshed.status == .ok, "\(refreshed.error ?? "")")
            #expect(await shell.run(line: "revoke $2.refresh_token").status == .ok)
            let after = await shell.run(line: "introspect $2.access_token")
            #expect(field(after, "active") == .bool(false))
        }
    }

    @Test("an API error exits 1 with the error code and request id on one line")
    func apiError() async throws {
        try await withShell { shell in
            let result = await shell.run(line: "token refresh --refresh-token pdr-not-a-real-token")
            #expect(result.status == .apiError)
            let error = try #require(result.error)
            #expect(error.hasPrefix("error: invalid_grant"))
            #expect(error.contains("request_id"))
            #expect(!error.contains("\n"))
        }
    }

    @Test("usage errors exit 2 and do not reach the API", arguments: [
        "frobnicate",
        "token exchange --user usr_x",
        "token exchange --user nope --partner fannie-mae",
        "token exchange --user usr_x --partner acme",
        "introspect $last.access_token",
        "set 9bad value",
        "set a 'unterminated",
    ])
    func usageErrors(line: String) async throws {
        try await withShell { shell in
            let result = await shell.run(line: line)
            #expect(result.status == .usage, "\(line): \(result)")
            #expect(result.error != nil)
        }
    }

    @Test("an unknown partner lists the known ones")
    func unknownPartner() async throws {
        try await withShell { shell in
            let result = await shell.run(line: "token exchange --user usr_x --partner acme")
            #expect(result.error?.contains("experian, fannie-mae, freddie-mac") == true)
        }
    }

    @Test("set defines a variable; JSON values keep their fields")
    func variables() async throws {
        try await withShell { shell in
            #expect(await shell.run(line: "set grant '{\"refresh_token\": \"pdr-x\"}'").status == .ok)
            let revoke = try shell.words(of: "revoke $grant.refresh_token")
            #expect(revoke == ["revoke", "pdr-x"])
            #expect(await shell.run(line: "set who usr_abc").status == .ok)
            let braced = try shell.words(of: "x ${who}")
            #expect(braced == ["x", "usr_abc"])
        }
    }

    @Test("tables shorten tokens; env never shows the secret")
    func tables() async throws {
        try await withShell(json: false) { shell in
            let issued = await shell.run(line: "token client-credentials")
            let text = try #require(issued.output)
            #expect(text.contains("access_token"))
            #expect(text.contains("…"))
            let env = await shell.run(line: "env")
            #expect(env.output?.contains(SandboxDemo.clientSecret) == false)
            #expect(env.output?.contains(SandboxDemo.clientID) == true)
        }
    }

    @Test("help and exit")
    func helpAndExit() async throws {
        try await withShell { shell in
            let help = await shell.run(line: "help token")
            #expect(help.status == .ok)
            #expect(help.output?.contains("exchange") == true)
            #expect(await shell.run(line: "exit").shouldExit)
            #expect(await shell.run(line: "quit").shouldExit)
        }
    }

    @Test("history lists numbered entries; history delete N removes one from memory and the file")
    func historyCommand() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("share-history-\(UUID().uuidString)/history")
        let store = HistoryStore(History(fileURL: file))
        for line in ["user create", "partners", "history"] { store.add(line) }
        try await withShell { shell in
            shell.context.history = store
            let listed = await shell.run(line: "history")
            #expect(listed.output == "  1  user create\n  2  partners\n  3  history")
            let deleted = await shell.run(line: "history delete 2")
            #expect(deleted.output == "deleted 2: partners")
            let missing = await shell.run(line: "history delete 9")
            #expect(missing.status == .usage)
        }
        #expect(History(fileURL: file).entries == ["user create", "history"])
    }
}
