import ArgumentParser
import ShareClient
import ShareModels
import ShareWire

/// `share-token create | redeem | get | list | expire`: the share-token API as one organization.
struct ShareTokenCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "share-token",
        abstract: "Create, redeem, read, list and expire share tokens (/api/v1/connect/share-tokens).",
        discussion: """
            Requests go as the organization of SHARE_API_KEY; on the embedded sandbox, as the demo \
            lender (org_demo-lender) unless SHARE_API_KEY names another. `as ORG` switches \
            organization (`as org_demo-bank` to redeem what the lender shared).
            """,
        subcommands: [Create.self, Redeem.self, Get.self, List.self, Expire.self]
    )

    static let examples = [
        "share-token create --connection cxn_demo --source inq_demo --expires-in 3600",
        "share-token list --status created --direction outbound",
    ]

    /// The share-token client of `context`, or a usage error saying how to get one.
    static func client(_ context: ShellContext) throws -> ShareTokenClient {
        guard let client = context.shareTokens else {
            throw ValidationError("no share-token API key: set SHARE_API_KEY to an organization's API key")
        }
        return client
    }

    struct Create: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Share one of your records with a connection's destination organization.",
            discussion: "Example:\n  share-token create --connection cxn_demo --source inq_demo --expires-in 3600"
        )

        @Option(help: "The connection (cxn_…) whose destination may redeem the token; it must be active.")
        var connection: String

        @Option(help: "The record to share: an inquiry, transaction, account or verification id (inq_…, txn_…, act_…, ver_…).")
        var source: String

        @Option(help: "Lifetime in seconds, 60 to 1814400 (21 days); 14 days when omitted.")
        var expiresIn: Int?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let problem = ConnectionID.problem(with: connection) { throw ValidationError("--connection: \(problem)") }
            if let problem = SourceID.problem(with: source) { throw ValidationError("--source: \(problem)") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            var attributes = ShareTokenCreateAttributes(connectionID: try ConnectionID(connection), sourceID: try SourceID(source))
            // Sent as given: the API names the field when the value is out of range.
            attributes.expiresInSeconds = expiresIn
            return .result(try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).create(attributes)))
        }
    }

    struct Redeem: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Redeem a share token made for your organization, copying the shared record.",
            discussion: """
                Redemption is asynchronous: the answer is the token `pending`; with --wait the command \
                reads it until the import has finished (`redeemed` or `failed`).
                Example — the lender's share token (the latest result), redeemed as the bank:
                  as org_demo-bank
                  share-token redeem $last.id --wait
                """
        )

        @Argument(help: "The share token id (cnst_…).")
        var id: String

        @Option(help: "The record to write (same kind as the shared one); a new one when omitted (verifications: always).")
        var destination: String?

        @Flag(help: "Wait (up to 10 seconds) until the redemption has finished, and show the token then.")
        var wait = false

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let problem = ShareTokenID.problem(with: id) { throw ValidationError(problem) }
            if let destination, let problem = SourceID.problem(with: destination) { throw ValidationError("--destination: \(problem)") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let client = try ShareTokenCommand.client(context)
            var token = try await client.redeem(try ShareTokenID(id), destinationID: try destination.map { try SourceID($0) })
            if wait { token = try await client.waitForRedemption(token.id) }
            return .result(try JSONValue(jsonAPIDocumentOf: token))
        }
    }

    struct Get: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "Show a share token as your organization sees it.")

        @Argument(help: "The share token id (cnst_…).")
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let problem = ShareTokenID.problem(with: id) { throw ValidationError(problem) }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).get(try ShareTokenID(id))))
        }
    }

    struct List: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "One page of the share tokens your organization is a side of, newest first; --after/--before move between pages.",
            discussion: "Example:\n  share-token list --status created --direction inbound"
        )

        @Option(help: "Only tokens of this connection (cxn_…).")
        var connection: String?

        @Option(help: "Only tokens in this status: created, pending, redeemed, expired or failed.")
        var status: String?

        @Option(help: "Only outbound (created by you) or inbound (for you to redeem) tokens.")
        var direction: String?

        @Option(help: "How many tokens (1–100).")
        var pageSize: Int?

        @Option(help: "The next (older) page: the tokens after this one (cnst_…).")
        var after: String?

        @Option(help: "The previous (newer) page: the tokens before this one (cnst_…).")
        var before: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if after != nil, before != nil { throw ValidationError("--after and --before cannot be combined") }
            if let after, let problem = ShareTokenID.problem(with: after) { throw ValidationError("--after: \(problem)") }
            if let before, let problem = ShareTokenID.problem(with: before) { throw ValidationError("--before: \(problem)") }
            if let connection, let problem = ConnectionID.problem(with: connection) { throw ValidationError("--connection: \(problem)") }
            if let status, ShareTokenStatus(rawValue: status) == nil {
                throw ValidationError("--status must be one of " + ShareTokenStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let direction, ShareTokenDirection(rawValue: direction) == nil {
                throw ValidationError("--direction must be outbound or inbound")
            }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let cursor: ShareTokenPageCursor? =
                if let after { .after(try ShareTokenID(after)) } else if let before { .before(try ShareTokenID(before)) } else { nil }
            let page = try await ShareTokenCommand.client(context).page(
                connectionID: try connection.map { try ConnectionID($0) }, status: status.flatMap(ShareTokenStatus.init(rawValue:)),
                direction: direction.flatMap(ShareTokenDirection.init(rawValue:)), pageSize: pageSize, cursor: cursor)
            let document = try JSONValue(encoding: JSONAPIListDocument(data: page.tokens, links: page.links))
            // The client already read the cursors of the pages around this one from its links.
            let next: String? = if case .after(let id) = page.next { id.rawValue } else { nil }
            let previous: String? = if case .before(let id) = page.previous { id.rawValue } else { nil }
            return ListPageNote.outcome(document, command: "share-token list", next: next, previous: previous)
        }
    }

    struct Expire: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "End a share token you created before it is redeemed.")

        @Argument(help: "The share token id (cnst_…).")
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let problem = ShareTokenID.problem(with: id) { throw ValidationError(problem) }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).expire(try ShareTokenID(id))))
        }
    }
}
