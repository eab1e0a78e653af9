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
/// sandbox it starts inside the process, so it works with no account.
public struct ShareShellTool: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "The ShareKit shell: mint, inspect and revoke tokens.",
        discussion: """
            Run `share` for the interactive shell, `share COMMAND …` for one command, or pipe commands
            on standard input. `share help` lists the commands.

            In the interactive shell, long lines wrap and stay editable, Ctrl-R searches history,
            `history` lists it and `history delete N` removes an entry; a line starting with a space
            is not kept. Pasting several lines runs them one by one.

            With no --env or --url, a sandbox starts inside the process on a free loopback port, with
            its demo client: nothing else is needed.

            Credentials for other targets come from --credentials FILE (JSON or .env, not readable
            by others), else PLAID_CLIENT_ID / PLAID_SECRET, else a prompt (--ask-secret) that does not
            echo. A secret is never accepted as a plain option value.

            Exit codes: 0 ok, 1 the API answered with an error, 2 usage error, 3 transport error.
            """
    )

    /// Where requests go.
    enum Environment: String, ExpressibleByArgument, CaseIterable {
        case embedded, sandbox, production
    }

    @Option(help: "Target API: embedded (a sandbox in this process), sandbox or production.")
    var env: Environment = .embedded

    @Option(help: "Any compatible server instead, e.g. a share-sandbox or share-gateway URL.")
    var url: String?

    @Option(help: "A credentials file: JSON {\"client_id\", \"secret\"} or .env with PLAID_CLIENT_ID/PLAID_SECRET.")
    var credentials: String?

    @Flag(help: "Prompt for the client id and secret (the secret is not echoed).")
    var askSecret = false

    @Flag(help: "With piped commands: run every line even after a failure.")
    var keepGoing = false

    @Flag(help: "Print exact API responses as JSON (the default when output is not a terminal).")
    var json = false

    @Flag(help: "Print tables (the default on a terminal).")
    var table = false

    @Flag(help: "Show tokens whole in tables.")
    var reveal = false

    @Flag(help: "Do not print the banner and notices on standard error.")
    var quiet = false

    @Argument(parsing: .captureForPassthrough, help: "A command to run once, e.g. `introspect pda-…`.")
    var command: [String] = []

    public init() {}

    public func validate() throws {
        if url != nil, env != .embedded { throw ValidationError("give --env or --url, not both") }
        if let url, URL(string: url)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--url must be an http(s) URL, e.g. http://127.0.0.1:8081")
        }
        if json, table { throw ValidationError("choose --json or --table") }
    }

    public func run() async throws {
        let io = ShellIO.process
        let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
        let notice: @Sendable (String) -> Void = { [quiet] text in if !quiet { io.standardError(text) } }

        var sandbox: RunningSandbox?
        let target: ShellTarget
        let clientCredentials: ClientCredentials
        if let url, let parsed = URL(string: url) {
            target = .custom(parsed)
            clientCredentials = try resolveCredentials()
        } else if env == .embedded {
            var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0, partners: partners)
            configuration.logger = Logger(label: "sharekit.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            let running = try await SandboxServer.start(configuration: configuration)
            sandbox = running
            target = .embedded(URL(string: running.url)!)
            clientCredentials = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)
            notice("Started the embedded sandbox at \(running.url) as demo client \(SandboxDemo.clientID). `help` lists the commands.")
        } else {
            target = env == .sandbox ? .sandbox : .production
            clientCredentials = try resolveCredentials()
        }

        let transport = AHCTransport()
        let client = OAuthClient(
            environment: .custom(target.baseURL), credentials: clientCredentials, transport: transport, partners: partners)
        var context = ShellContext(target: target, clientID: clientCredentials.clientID, oauth: client, partners: partners)
        let apiKey = ProcessInfo.processInfo.environment["SHARE_API_KEY"].map(APIKey.init)
            ?? (sandbox != nil ? APIKey(ShareTokenDemo.sourceAPIKey) : nil)
        context.shareTokens = apiKey.map { ShareTokenClient(environment: .custom(target.baseURL), apiKey: $0, transport: transport) }
        // The demo secret is public; any other must never be written to the history file.
        let historySecrets = sandbox == nil ? [clientCredentials.secret] : []
        let history = HistoryStore(History(fileURL: History.defaultFileURL()), secrets: historySecrets)
        context.history = history

        let inputIsTerminal = isatty(STDIN_FILENO) == 1
        let outputIsTerminal = isatty(STDOUT_FILENO) == 1
        var style = OutputStyle.automatic(isTerminal: outputIsTerminal)
        if json { style.json = true }
        if table { style.json = false }
        style.reveal = reveal
        var runner = ShellRunner(interpreter: ShellInterpreter(context: context, style: style), io: io)

        let status: ShellExitCode
        if !command.isEmpty {
            status = await runner.runOnce(words: command)
        } else if inputIsTerminal {
            let editor = LineEditor(history: history, completer: CommandCompleter(partners: partners))
            let prompt = style.color ? "\u{1B}[1mshare:\(target.name)>\u{1B}[0m " : "share:\(target.name)> "
            status = await runner.runInteractive(editor: editor, prompt: prompt)
        } else {
            status = await runner.runScript(lines: StandardInputLines(), keepGoing: keepGoing)
        }

        try? await transport.shutdown()
        try? await sandbox?.shutdown()
        if status != .ok { throw ExitCode(status.rawValue) }
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
        if let credentials { providers.append(FileCredentialsProvider(path: credentials)) }
        providers.append(EnvironmentCredentialsProvider())
        return try CredentialsChain(providers).requireClientCredentials()
    }
}

/// Lines of standard input, read as they arrive.
struct StandardInputLines: Sequence, IteratorProtocol {
    mutating func next() -> String? { Swift.readLine(strippingNewline: true) }
}
