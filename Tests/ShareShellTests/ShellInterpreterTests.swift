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

    @Test("share report creates the user when needed, names every partner in a note, and prints the API's answer as it is")
    func shareReport() async throws {
        try await withShell { shell in
            let result = await shell.run(line: "share report --with fannie-mae,experian")
            #expect(result.status == .ok, "\(result.error ?? "")")
            #expect(field(result, "partners") == nil)
            #expect(field(result, "user_id") == nil)
            #expect(result.note?.hasSuffix("with fannie-mae, experian") == true, "\(result.note ?? "")")
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
            let refreshed = await shell.run(line: "token refresh $1.refresh_token")
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
            for line in ["help", "--help", "-h"] {
                let overview = await shell.run(line: line)
                #expect(overview.output?.contains("COMMANDS:") == true, "\(line)")
                #expect(overview.output?.contains("OUTPUT FLAGS") == true, "\(line)")
                #expect(overview.output?.contains("USAGE: share") == false, "\(line): the shell's help is not the command line's")
            }
            #expect(await shell.run(line: "exit").shouldExit)
            #expect(await shell.run(line: "quit").shouldExit)
        }
    }

    @Test("in the shell, a command group alone, with --help or after help shows its commands and examples; an unknown command names them")
    func groupHelp() async throws {
        try await withShell { shell in
            let alone = await shell.run(line: "sandbox")
            #expect(alone.status == .ok, "\(alone.error ?? "")")
            let text = try #require(alone.output)
            for expected in [
                "USAGE: sandbox COMMAND", "COMMANDS:", "sandbox clock advance", "sandbox fault add", "sandbox fault clear", "sandbox faults",
                "sandbox reset", "EXAMPLES:\n  sandbox clock advance 14d", "`help sandbox COMMAND`",
            ] {
                #expect(text.contains(expected), "no \(expected) in\n\(text)")
            }
            #expect(!text.contains("share sandbox"), "the shell's help has no share prefix:\n\(text)")
            for line in ["sandbox --help", "sandbox -h", "help sandbox", "--json sandbox", "sandbox --table --quiet"] {
                let help = await shell.run(line: line)
                #expect(help.status == .ok, "\(line): \(help.error ?? "")")
                #expect(help.output == text, "\(line)")
            }
            let unknown = await shell.run(line: "sandbox bogus")
            #expect(unknown.status == .usage)
            #expect(unknown.output == nil)
            let error = try #require(unknown.error)
            #expect(error.hasPrefix("error: `sandbox` has no command `bogus`"), "\(error)")
            #expect(error.contains("sandbox clock advance, sandbox clock reset, sandbox fault add"), "\(error)")
            #expect(error.contains("`help sandbox`"), "\(error)")
            #expect(!error.contains("share "), "\(error)")
        }
    }

    @Test("every command group has its own help, with examples that run commands of the group as written")
    func groupExamples() throws {
        // The commands with commands under them: every proper prefix of a command's words.
        let paths = Set(CommandCatalog.entries.flatMap { entry in (1..<entry.path.count).map { Array(entry.path.prefix($0)) } })
        #expect(paths.count >= 10, "\(paths)")
        for path in paths.sorted(by: { $0.joined(separator: " ") < $1.joined(separator: " ") }) {
            let named = CommandCatalog.command(named: path)
            #expect(named.path == path)
            let command = named.command
            let group = try #require(command as? any ShellCommandGroup.Type, "\(path) has no help page of its own")
            #expect(!group.examples.isEmpty, "\(path)")
            for example in group.examples {
                let words = try ShellWords.split(example).map(\.text)
                #expect(Array(words.prefix(path.count)) == path, "\(example) is not a command of \(path)")
                #expect(!example.contains("$"), "\(example) must also run as `share \(example)`")
                guard case .command = ShellInterpreter.request(for: words, mode: .shell) else {
                    Issue.record("\(example) does not parse as a command")
                    continue
                }
            }
            let help = ShellHelp.help(for: command, path: path, mode: .commandLine)
            for entry in CommandCatalog.entries(under: path) { #expect(help.contains("  \(entry.name)  "), "\(path): no \(entry.name)") }
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

    @Test("a reference to an object where a value is expected is an error naming its fields")
    func structuredReference() async throws {
        try await withShell { shell in
            #expect(await shell.run(line: "token client-credentials").status == .ok)
            let introspect = await shell.run(line: "introspect $last")
            #expect(introspect.status == .usage)
            let error = try #require(introspect.error)
            #expect(error.contains("$last.access_token"), "\(error)")
            #expect(error.contains("$last.refresh_token"), "\(error)")
            #expect(!error.contains("pda-"), "a token must not be printed: \(error)")
            let with = await shell.run(line: "token exchange --user usr_x --partner $1")
            #expect(with.status == .usage)
            #expect(with.error?.contains("$1.expires_in") == true, "\(with.error ?? "")")
            let missing = await shell.run(line: "introspect $last.acess_token")
            #expect(missing.error?.contains("$last.access_token") == true, "\(missing.error ?? "")")
            #expect(await shell.run(line: "set grant $last").status == .ok)
            #expect(try shell.words(of: "revoke $grant.refresh_token").last?.hasPrefix("pdr-") == true)
        }
    }

    /// A long mixed-case word, as a pasted token or secret would be: no usage error repeats it whole.
    static let pastedSecret = "Q2hhbmdlVGhpc1NlY3JldDEyMzQ1Njc4"

    @Test("a parse error reads as the shell's: no share prefix, did you mean, lower-case error:, never a pasted token whole", arguments: [
        ("usr create", "did you mean `user create`?"),
        ("token refesh pdr-x", "did you mean `token refresh`?"),
        ("partner", "did you mean `partners`?"),
        ("introspect", "`help introspect` shows its options"),
        ("frobnicate", "`help` lists the commands"),
        ("frobnicate", "error: no command `frobnicate`"),
        ("--json frobnicate now", "error: no command `frobnicate`"),
        ("introspct pda-x", "error: no command `introspct`; did you mean `introspect`?"),
        ("pda-\(pastedSecret)", "error: no command `pda-<redacted>`"),
        ("introspect pda-x pdr-\(pastedSecret)", "'pdr-<redacted>'"),
        ("sandbox \(pastedSecret)", "error: `sandbox` has no command `<redacted>`"),
    ])
    func shellParseErrors(line: String, hint: String) async throws {
        try await withShell { shell in
            let result = await shell.run(line: line)
            #expect(result.status == .usage)
            let error = try #require(result.error)
            #expect(error.hasPrefix("error: "), "\(error)")
            #expect(error.contains(hint), "\(error)")
            for wrong in ["Error:", "share --help", "Usage:", "USAGE:", "share <subcommand>", Self.pastedSecret] {
                #expect(!error.contains(wrong), "\(error)")
            }
        }
    }

    @Test("output flags work before and after the command, on any line")
    func outputFlagsAnywhere() async throws {
        try await withShell(json: true) { shell in
            for line in ["--table partners", "partners --table", "partners --quiet --table"] {
                let result = await shell.run(line: line)
                #expect(result.status == .ok, "\(line): \(result.error ?? "")")
                #expect(result.output?.hasPrefix("id ") == true, "\(line): \(result.output ?? "")")
            }
            #expect(await shell.run(line: "partners --json --table").status == .usage)
        }
        try await withShell(json: false) { shell in
            for line in ["--json env", "env --json"] {
                #expect(field(await shell.run(line: line), "target") == .string("embedded"), "\(line)")
            }
            let revealed = await shell.run(line: "token client-credentials --reveal")
            #expect(revealed.output?.contains("…") == false)
            let hidden = await shell.run(line: "--reveal token client-credentials")
            #expect(hidden.output?.contains("…") == false)
        }
    }

    @Test("lists are tables with columns: partners")
    func partnerTable() async throws {
        try await withShell(json: false) { shell in
            let lines = try #require(await shell.run(line: "partners").output).split(separator: "\n").map(String.init)
            let heading = try #require(lines.first)
            #expect(heading.split(separator: " ", omittingEmptySubsequences: true) == ["id", "name", "aliases", "audience", "URN"])
            let experian = try #require(lines.first { $0.hasPrefix("experian ") })
            #expect(experian.contains("urn:plaid:params:cra-partner:experian"))
            #expect(!lines.joined().contains(".0."))
            // Columns line up: each value starts under its heading.
            let audience = try #require(heading.range(of: "audience URN")).lowerBound.utf16Offset(in: heading)
            #expect(experian.dropFirst(audience).hasPrefix("urn:"), "\(experian)")
        }
    }
}
