import ArgumentParser
import ShareModels
import ShareWire

/// `introspect TOKEN`.
struct IntrospectCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(
        commandName: "introspect",
        abstract: "Show whether a token is active, and what it grants (POST /oauth/introspect).",
        discussion: "Example:\n  introspect $last.access_token"
    )

    @Argument(help: "An access or refresh token.")
    var token: String

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome {
        .result(try JSONValue(encoding: try await context.oauth.introspect(token)))
    }
}

/// `revoke TOKEN`.
struct RevokeCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a token, and every token derived from it (POST /oauth/revoke).",
        discussion: "Example:\n  revoke $last.refresh_token"
    )

    @Argument(help: "An access or refresh token.")
    var token: String

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome {
        .result(try JSONValue(encoding: try await context.oauth.revoke(token)))
    }
}
