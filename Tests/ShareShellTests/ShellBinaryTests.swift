import Foundation
import ShareTestSupport
import ShareSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `share` binary as a user would: piped scripts and one-shot commands against the
/// embedded sandbox, a `share-gateway`, and servers that are not there. `scripts/test` builds the
/// binaries before `swift test`. Each test keeps the embedded sandbox's state in a directory of
/// its own (`XDG_STATE_HOME`).
@Suite("share binary", .serialized)
struct ShellBinaryTests {
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    static var buildDirectory: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug")
    }

    static var binary: URL { buildDirectory.appendingPathComponent("share") }

    /// A fresh directory for `XDG_STATE_HOME`.
    static func stateDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("share-binary-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `share` with `arguments`; the state directory is a new one unless `state` is given.
    func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:], state: URL? = nil) throws -> Run {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shell first: swift build --product share")
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = FileManager.default.temporaryDirectory.path
        env["XDG_STATE_HOME"] = (state ?? Self.stateDirectory()).path
        env.removeValue(forKey: "PLAID_CLIENT_ID")
        env.removeValue(forKey: "PLAID_SECRET")
        env.removeValue(forKey: "SHARE_API_KEY")
        for (key, value) in environment { env[key] = value }
        let outcome = try ChildProcess.run(binary, arguments: arguments, environment: env, input: input ?? "")
        return Run(status: outcome.status, output: outcome.output, error: outcome.error)
    }

    /// The JSON a run printed.
    func json(_ run: Run) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(run.output.utf8))
    }

    /// A free loopback port, found by binding port 0.
    static func freePort() throws -> Int {
        let listener = try Listener()
        return listener.port
    }

    /// A socket listening on a loopback port, to hold the port taken.
    final class Listener {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(descriptor, 4) == 0 else {
                close(descriptor)
                throw CocoaError(.fileWriteUnknown)
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            self.descriptor = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    @Test("the piped CRA flow from the README prints an active token, with no banner")
    func pipedFlow() throws {
        let result = try run([], input: "user create\ntoken exchange --user $last.user_id --partner fannie-mae\nintrospect $last.access_token\n")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"active\" : true"))
        #expect(result.output.contains("urn:plaid:params:cra-partner:fannie-mae"))
        #expect(!result.error.contains("Started the embedded sandbox"), "\(result.error)")
    }

    @Test("a piped script stops at the first failure with its exit code, unless --keep-going")
    func stopsAtFailure() throws {
        let script = "user create\nintrospect\nuser create\n"
        let stopped = try run(["--quiet"], input: script)
        #expect(stopped.status == 2)
        #expect(stopped.error.contains("line 2"))
        #expect(stopped.output.components(separatedBy: "\"user_id\"").count == 2)
        let kept = try run(["--quiet", "--keep-going"], input: script)
        #expect(kept.status == 2)
        #expect(kept.output.components(separatedBy: "\"user_id\"").count == 3)
    }

    @Test("one-shot commands run once and exit with the documented codes")
    func oneShot() throws {
        let partners = try run(["--quiet", "partners"])
        #expect(partners.status == 0)
        #expect(partners.output.contains("urn:plaid:params:cra-partner:freddie-mac"))
        let apiError = try run(["--quiet", "token", "refresh", "pdr-unknown"])
        #expect(apiError.status == 1)
        #expect(apiError.error.contains("invalid_grant"))
        let alias = try run(["--quiet", "token", "refresh", "--refresh-token", "pdr-unknown"])
        #expect(alias.status == 1, "the old flag is still accepted: \(alias.error)")
        let usage = try run(["--quiet", "frobnicate"])
        #expect(usage.status == 2)
        #expect(usage.error.contains("share --help"))
    }

    @Test("share --help, -h and help print the overview, options and commands, and start nothing", arguments: [
        ["--help"], ["-h"], ["help"], ["--quiet", "--help"], ["--env", "sandbox", "help"],
    ])
    func help(arguments: [String]) throws {
        let state = Self.stateDirectory()
        let result = try run(arguments, state: state)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.isEmpty, "\(result.error)")
        for text in [
            "USAGE:", "OPTIONS:", "COMMANDS:", "EXAMPLES:", "EXIT CODES:", "--env", "--url", "--gateway", "--credentials",
            "--ask-secret", "--keep-going", "--json", "--table", "--reveal", "--quiet", "--port", "user create", "token refresh",
            "share-token create", "sandbox reset", "Create a user",
        ] {
            #expect(result.output.contains(text), "\(arguments): no \(text) in\n\(result.output)")
        }
        #expect(!result.output.contains("Show subcommand help information"))
        #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("share/sandbox.sqlite").path), "help started a sandbox")
    }

    /// Every command group, and the commands each lists in its help.
    static let groups: [(group: [String], commands: [String])] = [
        (["user"], ["user create"]),
        (["token"], ["token client-credentials", "token refresh", "token exchange"]),
        (["share"], ["share report"]),
        (["share-token"], ["share-token create", "share-token redeem", "share-token get", "share-token list", "share-token expire"]),
        (["connection"], ["connection list", "connection show", "connection create", "connection accept", "connection deactivate", "connection reactivate"]),
        (["events"], ["events list", "events redeliver"]),
        (["history"], ["history", "history delete"]),
        (["sandbox"], ["sandbox clock", "sandbox clock advance", "sandbox clock reset", "sandbox fault add", "sandbox fault clear", "sandbox faults", "sandbox reset"]),
        (["sandbox", "clock"], ["sandbox clock", "sandbox clock advance", "sandbox clock reset"]),
        (["sandbox", "fault"], ["sandbox fault add", "sandbox fault clear"]),
    ]

    /// The ways to ask for a group's help: alone, also with an output flag (unless it runs a
    /// command by its own name, as `history` and `sandbox clock` do), with --help or -h, and
    /// after help.
    static var groupHelpRequests: [(arguments: [String], commands: [String])] {
        groups.flatMap { group, commands in
            let alone: [[String]] = commands.contains(group.joined(separator: " ")) ? [] : [group]
            let withOutputFlags: [[String]] = alone.isEmpty ? [] : [group + ["--json"]]
            let requests: [[String]] = alone + withOutputFlags + [group + ["--help"], group + ["-h"], ["help"] + group]
            return requests.map { (arguments: $0, commands: commands) }
        }
    }

    @Test("a command group alone, with --help or after help prints its commands and examples, and starts nothing", arguments: groupHelpRequests)
    func groupHelp(arguments: [String], commands: [String]) throws {
        let state = Self.stateDirectory()
        // The embedded sandbox would have to listen on this port: were it started, the run would
        // fail with "port … is already in use".
        let taken = try Listener()
        let result = try withExtendedLifetime(taken) { try run(["--port", String(taken.port)] + arguments, state: state) }
        #expect(result.status == 0, "\(arguments): \(result.error)")
        #expect(result.error.isEmpty, "\(arguments): \(result.error)")
        for text in ["USAGE: share ", "COMMANDS:", "EXAMPLES:", "  share "] + commands {
            #expect(result.output.contains(text), "\(arguments): no \(text) in\n\(result.output)")
        }
        #expect(!result.output.contains("Show subcommand help information"), "\(arguments)")
        #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("share/sandbox.sqlite").path), "\(arguments) started a sandbox")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: state.path)) == [], "\(arguments) wrote state")
    }

    @Test("an unknown command of a group is a usage error naming the group's commands, and starts nothing", arguments: groups)
    func unknownGroupCommand(group: [String], commands: [String]) throws {
        let state = Self.stateDirectory()
        let taken = try Listener()
        let result = try withExtendedLifetime(taken) { try run(["--port", String(taken.port)] + group + ["bogus"], state: state) }
        #expect(result.status == 2, "\(group): \(result.status) \(result.error)")
        #expect(result.output.isEmpty, "\(result.output)")
        #expect(result.error.hasPrefix("error: `\(group.joined(separator: " "))` has no command `bogus`"), "\(result.error)")
        for command in commands { #expect(result.error.contains(command), "\(group): no \(command) in \(result.error)") }
        #expect(result.error.contains("`share help \(group.joined(separator: " "))`"), "\(result.error)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: state.path)) == [], "\(group) wrote state")
    }

    @Test("usage and configuration errors exit 2, never 64", arguments: [
        (["--env", "bogus", "partners"], "--env"),
        (["--url", "notaurl", "partners"], "--url must be an http(s) URL"),
        (["--gateway", "ftp://x", "partners"], "--gateway must be an http(s) URL"),
        (["--url", "http://127.0.0.1:1", "user", "create"], "PLAID_CLIENT_ID"),
        (["--env", "sandbox", "token", "client-credentials"], "PLAID_CLIENT_ID"),
        (["--url", "http://127.0.0.1:1", "--credentials", "/nonexistent/creds.json", "user", "create"], "/nonexistent/creds.json: the file does not exist"),
        (["--json", "--table", "partners"], "choose --json or --table"),
        (["--bogus"], "--bogus"),
    ])
    func usageExitCodes(arguments: [String], message: String) throws {
        let result = try run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.status) \(result.error)")
        #expect(result.error.hasPrefix("error: "), "\(result.error)")
        #expect(result.error.contains(message), "\(arguments): \(result.error)")
    }

    @Test("local commands need no credentials on any target", arguments: [
        ["--url", "http://127.0.0.1:1", "partners"], ["--env", "production", "partners"], ["--env", "sandbox", "env"],
        ["--url", "http://127.0.0.1:1", "help", "token"], ["sandbox", "reset", "--delete-state"],
        ["--env", "production", "sandbox"], ["--url", "http://127.0.0.1:1", "share-token", "--help"], ["--env", "sandbox", "user", "create", "-h"],
    ])
    func localCommands(arguments: [String]) throws {
        let result = try run(["--quiet"] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.error)")
    }

    @Test("a refused connection names the server at once (not after the connect timeout of each attempt); exit 3, no secret printed",
          arguments: [["user", "create"], ["introspect", "pda-x"]])
    func transportError(command: [String]) throws {
        let secret = "s3cr3t-never-printed"
        let started = ContinuousClock.now
        let unreachable = try run(
            ["--quiet", "--url", "http://127.0.0.1:1"] + command, environment: ["PLAID_CLIENT_ID": "a", "PLAID_SECRET": secret])
        #expect(unreachable.status == 3)
        #expect(unreachable.error.contains("cannot connect to http://127.0.0.1:1: connection refused"), "\(unreachable.error)")
        #expect(!unreachable.error.contains(secret))
        // Retrying the connection inside each attempt took 10 s per attempt: 30 s for introspect.
        #expect(ContinuousClock.now - started < .seconds(8), "\(command)")
    }

    @Test("a taken port is named, with --port 0 as the way out")
    func takenPort() throws {
        let listener = try Listener()
        let result = try run(["--port", String(listener.port), "env"])
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.contains("port \(listener.port) is already in use"), "\(result.error)")
        #expect(result.error.contains("--port 0"), "\(result.error)")
        let free = try Self.freePort()
        let chosen = try run(["--port", String(free), "--json", "env"])
        #expect(chosen.status == 0, "\(chosen.error)")
        #expect(chosen.output.contains("http://127.0.0.1:\(free)"))
    }

    @Test("one-shot runs keep the embedded sandbox's state; sandbox reset --delete-state deletes it")
    func persistentState() throws {
        let state = Self.stateDirectory()
        let issued = try run(["token", "client-credentials"], state: state)
        #expect(issued.status == 0, "\(issued.error)")
        #expect(!issued.error.contains("Started the embedded sandbox"), "the banner is for the shell: \(issued.error)")
        let token = try #require((try json(issued) as? [String: Any])?["access_token"] as? String)
        let active = try run(["introspect", token], state: state)
        #expect(active.status == 0)
        #expect(active.output.contains("\"active\" : true"), "\(active.output)")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("share/sandbox.sqlite").path))
        let reset = try run(["sandbox", "reset", "--delete-state"], state: state)
        #expect(reset.status == 0, "\(reset.error)")
        #expect(reset.output.contains("deleted"))
        let after = try run(["introspect", token], state: state)
        #expect(after.output.contains("\"active\" : false"), "\(after.output)")
    }

    @Test("one-shot `share as ORG COMMAND …` starts the embedded sandbox and acts as ORG for that command")
    func oneShotAs() throws {
        let state = Self.stateDirectory()
        let created = try run(["share-token", "create", "--connection", "cxn_demo", "--source", "inq_demo"], state: state)
        #expect(created.status == 0, "\(created.error)")
        let id = try #require(((try json(created) as? [String: Any])?["data"] as? [String: Any])?["id"] as? String)
        let asBank = try run(["as", "org_demo-bank", "share-token", "get", id], state: state)
        #expect(asBank.status == 0, "\(asBank.error)")
        #expect(asBank.output.contains(#""direction" : "inbound""#), "\(asBank.output)")
    }

    @Test("a state file that is not a SQLite database is named, left alone, and deleted by sandbox reset --delete-state")
    func corruptState() throws {
        let state = Self.stateDirectory()
        let file = state.appendingPathComponent("share/sandbox.sqlite")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: file)
        let refused = try run(["token", "client-credentials"], state: state)
        #expect(refused.status != 0)
        #expect(refused.error.contains("the embedded sandbox's state file \(file.path) is not a SQLite database; `share sandbox reset --delete-state` starts afresh"), "\(refused.error)")
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("not a database"), "the file is left as it was")
        #expect(try run(["sandbox", "reset", "--delete-state"], state: state).status == 0)
        let issued = try run(["token", "client-credentials"], state: state)
        #expect(issued.status == 0, "\(issued.error)")
    }

    @Test("a folder where the state file belongs is named once, and sandbox reset --delete-state removes it")
    func stateFileIsAFolder() throws {
        let state = Self.stateDirectory()
        let file = state.appendingPathComponent("share/sandbox.sqlite")
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        let refused = try run(["token", "client-credentials"], state: state)
        #expect(refused.status != 0)
        #expect(refused.error.contains("the embedded sandbox's state file \(file.path) is a folder; `share sandbox reset --delete-state` starts afresh"), "\(refused.error)")
        #expect(refused.error.components(separatedBy: file.path).count == 2, "the path once: \(refused.error)")
        #expect(try run(["sandbox", "reset", "--delete-state"], state: state).status == 0)
        let issued = try run(["token", "client-credentials"], state: state)
        #expect(issued.status == 0, "\(issued.error)")
    }

    @Test("sandbox reset puts the embedded sandbox kept in the state file back to its start state, for the next runs too")
    func resetThroughTheControlPlane() throws {
        let state = Self.stateDirectory()
        let issued = try run(["token", "client-credentials"], state: state)
        let token = try #require((try json(issued) as? [String: Any])?["access_token"] as? String)
        let reset = try run(["sandbox", "reset"], state: state)
        #expect(reset.status == 0, "\(reset.error)")
        #expect(reset.error.contains("start state"), "\(reset.error)")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("share/sandbox.sqlite").path))
        let after = try run(["introspect", token], state: state)
        #expect(after.status == 0, "\(after.error)")
        #expect(after.output.contains("\"active\" : false"), "\(after.output)")
        // The start state still holds the demo organizations and their connection.
        let listed = try run(["connection", "list"], state: state)
        #expect(listed.output.contains("cxn_demo"), "\(listed.output)")
    }

    @Test("sandbox commands: a clock advance in a piped session, a bad amount and a fault without effect are usage errors")
    func sandboxCommandsPiped() throws {
        let session = try run([], input: "sandbox clock advance 14d\nsandbox clock\nsandbox fault add --path /oauth/token --status 503 --times 2\nsandbox faults\n")
        #expect(session.status == 0, "\(session.error)")
        #expect(session.output.contains("\"offset_seconds\" : 1209600"), "\(session.output)")
        #expect(session.output.contains("\"flt_"), "\(session.output)")
        let badUnit = try run(["sandbox", "clock", "advance", "14x"])
        #expect(badUnit.status == 2)
        #expect(badUnit.error.contains("s, m, h or d"), "\(badUnit.error)")
        let noEffect = try run(["sandbox", "fault", "add", "--path", "/oauth/token"])
        #expect(noEffect.status == 2)
        #expect(noEffect.error.contains("--status, --delay-ms or --drop-connection"), "\(noEffect.error)")
        let unknown = try run(["sandbox", "fault", "clear", "flt_nothing"])
        #expect(unknown.status == 1, "\(unknown.error)")
        let deleteElsewhere = try run(["--url", "http://127.0.0.1:1", "sandbox", "reset", "--delete-state"])
        #expect(deleteElsewhere.status == 2, "\(deleteElsewhere.error)")
    }

    @Test("the README's introspect of a token issued by an earlier run, through a system shell")
    func introspectFromAnotherRun() throws {
        let state = Self.stateDirectory()
        let script = """
            share() { "\(Self.binary.path)" "$@"; }
            share introspect "$(share token client-credentials | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
            """
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), arguments: ["-c", script],
            environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": state.path]) { $1 })
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(outcome.output.contains("\"active\" : true"), "\(outcome.output)")
    }

    @Test("sandbox reset --delete-state is refused while a run uses the state, and works once it ended")
    func resetWhileInUse() throws {
        let state = Self.stateDirectory()
        let running = try ChildProcess(
            Self.binary, environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": state.path]) { $1 },
            standardInput: .pipe, standardOutput: .pipe)
        try running.standardInput!.write(contentsOf: Data("env\n".utf8))
        var printed = ""
        while !printed.contains("\"target\"") {
            let chunk = running.standardOutput!.availableData
            guard !chunk.isEmpty else { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let refused = try run(["sandbox", "reset", "--delete-state"], state: state)
        #expect(refused.status == 2, "\(refused.error)")
        #expect(refused.error.contains("in use"), "\(refused.error)")
        try running.standardInput!.close()
        #expect(running.waitUntilExit() == 0)
        let reset = try run(["sandbox", "reset", "--delete-state"], state: state)
        #expect(reset.status == 0, "\(reset.error)")
        #expect(reset.output.contains("deleted"), "\(reset.output)")
    }

    @Test("concurrent runs share the state without corrupting it")
    func concurrentRuns() throws {
        let state = Self.stateDirectory()
        let results = try (0..<4).map { _ in
            try ChildProcess(
                Self.binary, arguments: ["user", "create"],
                environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": state.path]) { $1 })
        }
        for process in results {
            #expect(process.waitUntilExit() == 0)
        }
        let check = try run(["token", "client-credentials"], state: state)
        #expect(check.status == 0, "\(check.error)")
        // A reset while nothing runs succeeds; the state is whole again afterwards.
        #expect(try run(["sandbox", "reset"], state: state).status == 0)
        #expect(try run(["user", "create"], state: state).status == 0)
    }

    @Test("--json prints the API's answer exactly: JSON:API data kept, share report adds nothing")
    func exactJSON() throws {
        let created = try run(["--json", "share-token", "create", "--connection", "cxn_demo", "--source", "inq_demo"])
        #expect(created.status == 0, "\(created.error)")
        let document = try #require(try json(created) as? [String: Any])
        #expect(Set(document.keys) == ["data"])
        #expect(((document["data"] as? [String: Any])?["id"] as? String)?.hasPrefix("cnst_") == true)
        let report = try run(["share", "report", "--with", "fannie-mae", "--json"])
        #expect(report.status == 0, "\(report.error)")
        let fields = try #require(try json(report) as? [String: Any])
        #expect(fields["user_id"] == nil && fields["partners"] == nil, "\(fields.keys)")
        #expect(fields["access_token"] != nil)
        #expect(report.error.contains("fannie-mae"), "the extra facts go to standard error: \(report.error)")
        let refused = try run(["share-token", "create", "--connection", "cxn_demo", "--source", "inq_demo", "--expires-in", "10"])
        #expect(refused.status == 1)
        #expect(refused.error.hasPrefix("error: 422 "), "\(refused.error)")
        #expect(!refused.error.contains("HTTP 422"), "the status is said once: \(refused.error)")
        let quiet = try run(["share", "report", "--with", "fannie-mae", "--quiet"])
        #expect(quiet.error.isEmpty, "\(quiet.error)")
    }

    @Test("output flags work before and after the command", arguments: [
        ["--table", "partners"], ["partners", "--table"], ["--quiet", "partners", "--table", "--reveal"],
    ])
    func outputFlagPositions(arguments: [String]) throws {
        let result = try run(arguments)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("id "), "\(result.output)")
        let introspect = try run(["introspect", "pda-x", "--table"])
        #expect(introspect.status == 0, "\(introspect.error)")
        #expect(introspect.output.hasPrefix("active"), "\(introspect.output)")
    }

    @Test("share tokens and events are tables with columns")
    func listTables() throws {
        let state = Self.stateDirectory()
        let create = "share-token create --connection cxn_demo --source inq_demo\n"
        let script = create + create + "share-token list\nevents list\n"
        let result = try run(["--table", "--quiet"], input: script, state: state)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.contains(["id", "status", "direction", "connection", "source", "expires"]), "\(result.output)")
        #expect(lines.contains {
            $0.count == 6 && $0[0].hasPrefix("cnst_") && $0[1] == "created" && $0[2] == "outbound" && $0[3] == "cxn_demo" && $0[4] == "inq_demo"
        })
        #expect(lines.contains(["id", "name", "created", "subject"]), "\(result.output)")
        #expect(lines.contains { $0.count == 4 && $0[0].hasPrefix("evt_") && $0[1] == "connect/share-token.outbound-created" && $0[3].hasPrefix("cnst_") })
        #expect(!result.output.contains(".attributes."))
        let paged = try run(["--json", "events", "list", "--page-size", "1"], state: state)
        #expect(paged.status == 0, "\(paged.error)")
        #expect(paged.error.contains("more events: events list --after evt_"), "the next page is a note: \(paged.error)")
        let eventPage = try #require(try json(paged) as? [String: Any])
        #expect(eventPage["data"] as? [Any] != nil)
        #expect(((eventPage["links"] as? [String: Any])?["next"] as? String)?.contains("/api/v1/events?") == true, "\(paged.output)")
        // share-token list and connection list: one page, data and links as the API sent them.
        let tokens = try run(["--json", "share-token", "list", "--page-size", "1"], state: state)
        #expect(tokens.status == 0, "\(tokens.error)")
        let tokenPage = try #require(try json(tokens) as? [String: Any])
        #expect(Set(tokenPage.keys) == ["data", "links"], "\(tokenPage.keys)")
        #expect(((tokenPage["links"] as? [String: Any])?["next"] as? String)?.contains("/api/v1/connect/share-tokens?") == true, "\(tokens.output)")
        #expect(tokens.error.contains("more: share-token list --after cnst_"), "the next page is a note: \(tokens.error)")
        let connections = try run(["--json", "connection", "list"], state: state)
        #expect(connections.status == 0, "\(connections.error)")
        #expect(try (json(connections) as? [String: Any])?.keys.sorted() == ["data", "links"], "\(connections.output)")
    }

    @Test("through a share-gateway no credentials are needed: --gateway, or a --url that answers as one")
    func gateway() throws {
        let gatewayBinary = Self.buildDirectory.appendingPathComponent("share-gateway")
        try #require(FileManager.default.isExecutableFile(atPath: gatewayBinary.path), "build share-gateway first")
        let port = try Self.freePort()
        var environment = ProcessInfo.processInfo.environment
        for key in ["PLAID_CLIENT_ID", "PLAID_SECRET", "SHARE_GATEWAY_UPSTREAM"] { environment.removeValue(forKey: key) }
        let process = try ChildProcess(gatewayBinary, arguments: ["--port", String(port), "--no-console"], environment: environment)
        defer {
            process.send(SIGTERM)
            process.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        var issued = try run(["--gateway", url, "token", "client-credentials"])
        for _ in 0..<100 where issued.status == 3 {
            usleep(100_000)
            issued = try run(["--gateway", url, "token", "client-credentials"])
        }
        #expect(issued.status == 0, "\(issued.error)")
        #expect(issued.output.contains("access_token"))
        let detected = try run(["--url", url, "token", "client-credentials"])
        #expect(detected.status == 0, "a gateway is recognized: \(detected.error)")
        let env = try run(["--gateway", url, "--json", "env"])
        #expect(env.output.contains("\"target\" : \"gateway\""), "\(env.output)")
        #expect(env.output.contains("added by the gateway"), "\(env.output)")
        // Share-token commands too: the gateway injects its default organization's API key.
        let shared = try run([
            "--gateway", url, "--json", "share-token", "create", "--connection", ShareTokenDemo.connectionID, "--source", ShareTokenDemo.inquiryID,
        ])
        #expect(shared.status == 0, "\(shared.error)")
        #expect(shared.output.contains("cnst_"), "\(shared.output)")
        // --as ORG sends Share-Organization: the gateway injects that organization's key.
        let sharedID = try #require(((try json(shared) as? [String: Any])?["data"] as? [String: Any])?["id"] as? String)
        let inbound = try run(["--gateway", url, "--as", ShareTokenDemo.destinationOrganizationID, "--json", "share-token", "list", "--direction", "inbound"])
        #expect(inbound.status == 0, "\(inbound.error)")
        let inboundTokens = try #require((try json(inbound) as? [String: Any])?["data"] as? [[String: Any]])
        let listed = try #require(inboundTokens.first { $0["id"] as? String == sharedID }, "\(inbound.output)")
        #expect((listed["attributes"] as? [String: Any])?["direction"] as? String == "inbound")
        let asDefault = try run(["--gateway", url, "--json", "share-token", "list", "--direction", "inbound"])
        #expect(!asDefault.output.contains(sharedID), "without --as the default organization (the lender) has it outbound only")
        let unknown = try run(["--gateway", url, "--as", "org_nobody", "share-token", "list"])
        #expect(unknown.status == 1, "\(unknown.error)")
        #expect(unknown.error.contains("org_demo-bank"), "the gateway names the organizations it has: \(unknown.error)")
        // A server that is no gateway still needs credentials.
        let sandboxState = Self.stateDirectory()
        let sandboxPort = try Self.freePort()
        let embedded = try ChildProcess(
            Self.buildDirectory.appendingPathComponent("share-sandbox"), arguments: ["--port", String(sandboxPort)],
            environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": sandboxState.path]) { $1 })
        defer {
            embedded.send(SIGTERM)
            embedded.waitUntilExit()
        }
        let sandboxURL = "http://127.0.0.1:\(sandboxPort)"
        let demo = ["PLAID_CLIENT_ID": SandboxDemo.clientID, "PLAID_SECRET": SandboxDemo.clientSecret]
        var ready = try run(["--url", sandboxURL, "token", "client-credentials"], environment: demo)
        for _ in 0..<100 where ready.status == 3 {
            usleep(100_000)
            ready = try run(["--url", sandboxURL, "token", "client-credentials"], environment: demo)
        }
        #expect(ready.status == 0, "\(ready.error)")
        let refused = try run(["--url", sandboxURL, "token", "client-credentials"])
        #expect(refused.status == 2, "\(refused.error)")
        #expect(refused.error.contains("PLAID_CLIENT_ID"))
    }
}
