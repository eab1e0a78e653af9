import ArgumentParser
import Foundation
import ShareModels
import ShareWire

/// `user create`: a user whose consumer report can be shared.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (the subjects of consumer-report shares).",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (POST /user/create) and print its user_id.",
            discussion: "Example:\n  user create --client-user-id applicant-4711"
        )

        @Option(name: .long, help: "Your own id for the user, 1–128 characters. A random one when omitted.")
        var clientUserID: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let clientUserID, let problem = UserCreateRequest(clientUserID: clientUserID).validationProblem {
                throw ValidationError(problem)
            }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let id = clientUserID ?? "shell-" + UUID().uuidString.prefix(8).lowercased()
            let response = try await context.oauth.createUser(UserCreateRequest(clientUserID: id))
            return .result(try JSONValue(encoding: response))
        }
    }
}
