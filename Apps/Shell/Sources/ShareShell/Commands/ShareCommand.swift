import ArgumentParser
import Foundation
import ShareModels
import SharePartners
import ShareWire

/// `share report`: the consumer-report sharing flow in one step.
struct ShareCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share data with partners.",
        subcommands: [Report.self]
    )

    static let examples = [
        "share report --with fannie-mae,experian",
    ]

    struct Report: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Share a user's consumer report with CRA partners: one multi-party token for all of them.",
            discussion: """
                Creates the user first when --user is omitted, then exchanges the user id for a token whose
                audience is every partner named (subject_token_type urn:plaid:params:credit:multi-user).
                Example:
                  share report --user usr_9nSp2KuZ2x4JDw --with fannie-mae,experian
                """
        )

        @Option(help: "The user id (usr_…). A new user is created when omitted.")
        var user: String?

        @Option(name: .customLong("with"), help: "Partners, comma-separated (see `partners`).")
        var partners: String

        @Option(help: "Scopes, space- or comma-separated.")
        var scope: String = "user:read"

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let user, let problem = UserID.problem(with: user) { throw ValidationError("--user: \(problem)") }
            if CommaList.split(partners).isEmpty { throw ValidationError("--with needs at least one partner") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let ids = try CommaList.split(partners).map { try context.partners.resolve($0).id }
            let userID: UserID
            if let user {
                userID = try UserID(user)
            } else {
                let created = try await context.oauth.createUser(
                    UserCreateRequest(clientUserID: "shell-" + UUID().uuidString.prefix(8).lowercased()))
                userID = created.userID
            }
            let grant = try await context.oauth.share(user: userID, with: ids, scope: ScopeSet.parsingOption(scope))
            let partnerNames = grant.partners.map(\.rawValue).joined(separator: ", ")
            return .annotatedResult(
                try JSONValue(encoding: grant.token), note: "shared the consumer report of \(userID.rawValue) with \(partnerNames)")
        }
    }
}
