import ArgumentParser
import ShareModels
import ShareWire

/// `env`: where requests go and as whom.
struct EnvCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "Show the target API, the client id and the organization in use.")

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome {
        var fields: [String: JSONValue] = ["target": .string(context.target.name)]
        if let url = context.target.baseURL { fields["url"] = .string(url.absoluteString) }
        if case .gateway = context.target {
            fields["credentials"] = .string("added by the gateway")
        } else if !context.clientID.isEmpty {
            fields["client_id"] = .string(context.clientID)
            fields["secret"] = .string(Redaction.marker)
        }
        if let organization = context.actingAs ?? context.defaultOrganization {
            fields["organization"] = .string(organization)
        }
        if case .embedded = context.target, let state = context.sandboxState {
            fields["state"] = .string(state.databaseURL.path)
        }
        return .result(.object(fields))
    }
}

/// `whoami`: the client id in use.
struct WhoamiCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the client id requests authenticate with.")

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome {
        switch context.target {
        case .gateway: .message("the gateway's client @ \(context.target)")
        case _ where context.clientID.isEmpty: .message("no client id @ \(context.target)")
        default: .message("\(context.clientID) @ \(context.target)")
        }
    }
}

/// `set NAME VALUE`: a variable for later lines (`$NAME`).
struct SetCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Define $NAME for later lines. A JSON value is kept as JSON ($NAME.field works).",
        discussion: "Examples:\n  set user $last.user_id\n  set grant $last"
    )

    @Argument(help: "A name of letters, digits and _.")
    var name: String

    @Argument(help: "The value.")
    var value: String

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard let first = name.first, first.isLetter || first == "_",
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name != "last"
        else {
            throw ValidationError("a variable name is letters, digits and _, starts with a letter, and is not \"last\"")
        }
    }

    func run(in context: ShellContext) async throws -> CommandOutcome {
        let parsed = (try? JSONValue(parsing: Array(value.utf8))).flatMap { value -> JSONValue? in
            switch value {
            case .object, .array: return value
            default: return nil
            }
        }
        return .setVariable(name: name, value: parsed ?? .string(value))
    }
}

/// `exit`.
struct ExitCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(commandName: "exit", abstract: "Leave the shell (Ctrl-D works too).", aliases: ["quit"])

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome { .exit }
}
