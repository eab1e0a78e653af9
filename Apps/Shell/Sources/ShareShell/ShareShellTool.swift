import ArgumentParser
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `share`: the ShareKit shell.
///
/// With a command (`share introspect pda-…`) it runs it and exits; with commands piped on standard
/// input it runs each line; on a terminal it opens the interactive shell. By default it talks to a
/// sandbox it starts inside the process, whose state is kept between runs, so it works with no
/// account.
public struct ShareShellTool: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "The ShareKit shell: mint, inspect and revoke tokens, share data between organizations."
    )

    /// Where requests go.
    enum Environment: String, ExpressibleByArgument, CaseIterable {
        case embedded, sandbox, production
    }

    @Option(help: "Target API: embedded (a sandbox in this process, the default), sandbox or production.")
    var env: Environment = .embedded

    @Option(help: "Any compatible server instead, e.g. a share-sandbox URL (credentials needed; a share-gateway is recognized).")
    var url: String?

    @Option(help: "A share-gateway URL: the gateway adds the credentials, so none are needed.")
    var gateway: String?

    @Option(help: "A credentials file: JSON {\"client_id\", \"secret\"} or .env with PLAID_CLIENT_ID/PLAID_SECRET.")
    var credentials: String?

    @Flag(help: "Prompt for the client id and secret (the secret is not echoed).")
    var askSecret = false

    @Option(help: "The port of the embedded sandbox (0, the default, picks a free one).")
    var port: Int = 0

    @Option(name: .customLong("as"), help: "The organization share-token commands act as (as the `as` command; on the embedded sandbox org_demo-lender or org_demo-bank, elsewhere with SHARE_API_KEY_<ORG>).")
    var actAs: String?

    @Flag(help: "With piped commands: run every line even after a failure.")
    var keepGoing = false

    @Flag(help: "Print exact API responses as JSON (the default when output is not a terminal).")
    var json = false

    @Flag(help: "Print tables (the default on a terminal).")
    var table = false

    @Flag(help: "Show tokens whole in tables.")
    var reveal = false

    @Flag(help: "Print no banner and no notes on standard error.")
    var quiet = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("A command to run once, e.g. `introspect pda-…`.", visibility: .hidden))
    var command: [String] = []

    public init() {}

    public func validate() throws {
        if [url != nil, gateway != nil, env != .embedded].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --env, --url and --gateway")
        }
        for (name, value) in [("--url", url), ("--gateway", gateway)] {
            if let value, URL(string: value)?.scheme.map({ $0 == "http" || $0 == "https" }) != true || URL(string: value)?.host == nil {
                throw ValidationError("\(name) must be an http(s) URL, e.g. http://127.0.0.1:8081")
            }
        }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        if port != 0, env != .embedded || url != nil || gateway != nil {
            throw ValidationError("--port is the embedded sandbox's port; it goes without --env, --url and --gateway")
        }
        if json, table { throw ValidationError("choose --json or --table") }
    }

    /// Runs `share` with the process's arguments and exits with its status.
    public static func runAndExit() async -> Never {
        let status = await run(arguments: Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(status)
    }

    /// Runs `share` with `arguments` (without the program name) and answers its exit status, as
    /// the README documents them: 0 ok, 1 the API refused, 2 usage or configuration, 3 transport.
    static func run(arguments: [String], io: ShellIO = .process) async -> Int32 {
        if ShellHelp.isOverviewRequest(arguments) {
            io.standardOutput(ShellHelp.commandLineOverview)
            return ShellExitCode.ok.rawValue
        }
        let tool: ShareShellTool
        do {
            let parsed = try parseAsRoot(arguments)
            guard let parsedTool = parsed as? ShareShellTool else {
                io.standardOutput(helpMessage(for: type(of: parsed)))
                return ShellExitCode.ok.rawValue
            }
            tool = parsedTool
        } catch {
            if exitCode(for: error) == .success {
                io.standardOutput(fullMessage(for: error))
                return ShellExitCode.ok.rawValue
            }
            io.standardError(UsageErrorMessage(message(for: error), mode: .commandLine).text)
            return ShellExitCode.usage.rawValue
        }
        do {
            return try await tool.start(io: io).rawValue
        } catch {
            let failure = ShellFailure(error, target: tool.url ?? tool.gateway)
            io.standardError(failure.message(color: false))
            return failure.exitCode.rawValue
        }
    }

    public func run() async throws {
        let status = try await start(io: .process)
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    /// Commands that need no API at all: they run without starting the embedded sandbox and
    /// without client credentials.
    static let commandsWithoutAPI: Set<String> = ["help", "partners", "history", "set", "exit", "quit"]
    /// Commands that describe the target but send nothing: they need no client credentials.
    static let commandsWithoutCredentials: Set<String> = commandsWithoutAPI.union(["env", "whoami"])

    /// Whether the one-shot `words` need an API. What the command tree answers alone does not —
    /// help, a command group typed without a command (`sandbox`), a usage error
    /// (``ShellInterpreter/request(for:mode:)``) — nor does a command of ``commandsWithoutAPI``,
    /// nor `sandbox reset --delete-state`, which deletes the embedded sandbox's state file
    /// without starting it.
    static func needsAPI(_ words: [String]) -> Bool {
        // `as ORG COMMAND …` acts on the share-token API whatever the command.
        if ShellInterpreter.oneCommandAs(words) != nil { return true }
        guard case .command = ShellInterpreter.request(for: words, mode: .commandLine) else { return false }
        let commandWords = words.filter { !OutputOptions.flagNames.contains($0) }
        guard let first = commandWords.first else { return true }
        if commandsWithoutAPI.contains(first) { return false }
        return !(commandWords.prefix(2) == ["sandbox", "reset"] && commandWords.contains("--delete-state"))
    }

    private func start(io: ShellIO) async throws -> ShellExitCode {
        // A server that refuses the connection (a wrong --url or --gateway port) is reported at
        // once instead of after every attempt's connect timeout; idempotent requests are still
        // retried by the clients' RetryPolicy.
        let transport = AHCTransport(configuration: .init(retriesConnectionEstablishment: false))
        do {
            let status = try await session(io: io, transport: transport)
            try? await transport.shutdown()
            return status
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    private func session(io: ShellIO, transport: AHCTransport) async throws -> ShellExitCode {
        let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
        let inputIsTerminal = isatty(STDIN_FILENO) == 1
        let outputIsTerminal = isatty(STDOUT_FILENO) == 1
        let interactive = command.isEmpty && inputIsTerminal
        let commandWord = command.first { !OutputOptions.flagNames.contains($0) }
        let needsAPI = command.isEmpty || Self.needsAPI(command)
        let needsCredentials = needsAPI && (!(commandWord.map(Self.commandsWithoutCredentials.contains) ?? false) || command.isEmpty)
        let notice: @Sendable (String) -> Void = { [quiet] text in if !quiet { io.standardError(text) } }

        var sandbox: RunningSandbox?
        var stateLease: EmbeddedSandboxState.Lease?
        let sandboxState = EmbeddedSandboxState.standard()
        var target: ShellTarget?
        var clientCredentials: ClientCredentials?
        if let gateway, let parsed = URL(string: gateway) {
            target = .gateway(parsed)
        } else if let url, let parsed = URL(string: url) {
            target = .custom(parsed)
            if needsCredentials {
                do {
                    clientCredentials = try resolveCredentials()
                } catch let error as CredentialsError where error.code == .missing && !askSecret {
                    guard await GatewayDetection.isGateway(parsed, transport: transport) else {
                        throw ValidationError("\(error); or give --credentials FILE, --ask-secret, or --gateway URL for a share-gateway")
                    }
                    target = .gateway(parsed)
                }
            }
        } else if env == .embedded {
            if needsAPI {
                let running = try await startEmbeddedSandbox(partners: partners, state: sandboxState, lease: &stateLease)
                sandbox = running
                target = .embedded(URL(string: running.url)!)
                clientCredentials = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)
                if interactive {
                    let kept = sandboxState.map { "; its state is kept in \($0.databaseURL.path)" } ?? ""
                    notice("Started the embedded sandbox at \(running.url) as demo client \(SandboxDemo.clientID)\(kept). `help` lists the commands.")
                }
                if sandboxState == nil { notice("note: no HOME or XDG_STATE_HOME, so the embedded sandbox keeps no state after this run") }
            }
        } else {
            target = env == .sandbox ? .sandbox : .production
            if needsCredentials { clientCredentials = try resolveCredentials() }
        }

        let oauth = target?.baseURL.map {
            OAuthClient(environment: .custom($0), credentials: clientCredentials, transport: transport, partners: partners)
        }
        var context = ShellContext(
            target: target ?? .embedded(nil), clientID: clientCredentials?.clientID ?? "", oauth: oauth, partners: partners)
        context.sandboxState = sandboxState
        if let baseURL = target?.baseURL {
            // The control plane takes the client credentials, else an organization's API key;
            // behind a share-gateway, neither (the gateway adds its own).
            let environmentKey = ProcessInfo.processInfo.environment["SHARE_API_KEY"].map(APIKey.init)
            if clientCredentials == nil, let key = environmentKey {
                context.sandboxControl = SandboxControl(environment: .custom(baseURL), apiKey: key, transport: transport)
            } else {
                context.sandboxControl = SandboxControl(environment: .custom(baseURL), credentials: clientCredentials, transport: transport)
            }
        }
        let environment = ProcessInfo.processInfo.environment
        let apiKey = environment["SHARE_API_KEY"].map(APIKey.init)
            ?? (sandbox != nil ? APIKey(ShareTokenDemo.sourceAPIKey) : nil)
        if let baseURL = target?.baseURL {
            let make: @Sendable (APIKey) -> ShareTokenClient = { ShareTokenClient(environment: .custom(baseURL), apiKey: $0, transport: transport) }
            context.makeShareTokenClient = make
            context.shareTokens = apiKey.map(make)
            // A share-gateway injects its own API key: share-token commands need none.
            if case .gateway = target {
                if context.shareTokens == nil {
                    context.shareTokens = ShareTokenClient(environment: .custom(baseURL), apiKey: nil, transport: transport)
                }
                context.makeGatewayShareTokenClient = {
                    ShareTokenClient(environment: .custom(baseURL), apiKey: nil, transport: transport, organization: $0)
                }
            }
        }
        context.organizations = ShellOrganizations(
            known: sandbox == nil ? [] : ShareTokenDemo.seed.organizations.map { ($0.id, APIKey($0.apiKey)) }, environment: environment)
        if sandbox != nil && environment["SHARE_API_KEY"] == nil { context.defaultOrganization = ShareTokenDemo.sourceOrganizationID }
        if let actAs { try context.act(as: actAs) }
        // The demo secret is public; any other must never be written to the history file.
        let historySecrets = sandbox == nil ? clientCredentials.map { [$0.secret] } ?? [] : []
        let history = HistoryStore(History(fileURL: History.defaultFileURL()), secrets: historySecrets)
        context.history = history

        var style = OutputStyle.automatic(isTerminal: outputIsTerminal)
        if json { style.json = true }
        if table { style.json = false }
        style.reveal = reveal
        style.quiet = quiet
        let mode: ShellInterpreter.Mode = command.isEmpty ? .shell : .commandLine
        var runner = ShellRunner(interpreter: ShellInterpreter(context: context, style: style, mode: mode), io: io)

        let status: ShellExitCode
        if !command.isEmpty {
            status = await runner.runOnce(words: command)
        } else if inputIsTerminal {
            let editor = LineEditor(history: history, completer: CommandCompleter(partners: partners))
            status = await runner.runInteractive(editor: editor)
        } else {
            status = await runner.runScript(lines: StandardInputLines(), keepGoing: keepGoing)
        }

        try? await sandbox?.shutdown()
        stateLease?.release()
        return status
    }

    /// Starts the embedded sandbox on `--port`, keeping its state in `state` when there is one.
    private func startEmbeddedSandbox(
        partners: PartnerRegistry, state: EmbeddedSandboxState?, lease: inout EmbeddedSandboxState.Lease?
    ) async throws -> RunningSandbox {
        if port != 0, !PortAvailability.isFree(host: "127.0.0.1", port: port) {
            throw ValidationError("port \(port) is already in use; choose another, or --port 0 for any free port")
        }
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: port, partners: partners)
        configuration.logger = Logger(label: "sharekit.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        guard let state else { return try await SandboxServer.start(configuration: configuration) }
        configuration.storage = .sqlite(path: state.databaseURL.path)
        do {
            let (running, held) = try await state.use { try await SandboxServer.start(configuration: configuration) }
            lease = held
            return running
        } catch let error as EmbeddedSandboxState.Failure {
            throw error
        } catch let error as SQLiteStoreUnopenable {
            // In the shell's words: the path is the shell's, not one the user chose with --data.
            let problem: String
            switch error.reason {
            case .notADatabase: problem = "is not a SQLite database"
            case .isFolder: problem = "is a folder"
            case .missingFolder(let folder): problem = "cannot be created: the folder \(folder) does not exist"
            case .other(let message): problem = "cannot be opened: \(message)"
            }
            throw EmbeddedSandboxState.Failure(
                description: "the embedded sandbox's state file \(state.databaseURL.path) \(problem); `share sandbox reset --delete-state` starts afresh")
        } catch {
            throw EmbeddedSandboxState.Failure(
                description: "the embedded sandbox could not open \(state.databaseURL.path): \(error); `share sandbox reset --delete-state` starts afresh")
        }
    }

    /// Credentials for a remote target, from the file, the environment or a prompt — in that order.
    private func resolveCredentials() throws -> ClientCredentials {
        if askSecret {
            let id = try SecretPrompt.ask("client id: ", echo: true)
            let secret = try SecretPrompt.ask("secret (not shown): ", echo: false)
            guard !id.isEmpty, !secret.isEmpty else { throw ValidationError("both a client id and a secret are needed") }
            return ClientCredentials(clientID: id, secret: secret)
        }
        var providers: [any CredentialsProvider] = []
        if let credentials {
            guard FileManager.default.fileExists(atPath: credentials) else {
                throw ValidationError("--credentials \(credentials): the file does not exist")
            }
            providers.append(FileCredentialsProvider(path: credentials))
        }
        providers.append(EnvironmentCredentialsProvider())
        return try CredentialsChain(providers).requireClientCredentials()
    }
}

/// Lines of standard input, read as they arrive.
struct StandardInputLines: Sequence, IteratorProtocol {
    mutating func next() -> String? { Swift.readLine(strippingNewline: true) }
}
