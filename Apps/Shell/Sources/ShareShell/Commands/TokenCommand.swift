import Foundation
import ArgumentParser
import ShareModels
import SharePartners
import ShareWire

/// `token client-credentials | refresh | exchange`.
struct TokenCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue, refresh and exchange OAuth tokens (POST /oauth/token).",
        subcommands: [ClientCredentials.self, Refresh.self, Exchange.self]
    )

    static let examples = [
        "token client-credentials --scope user:read",
        "token exchange --user usr_9nSp2KuZ2x4JDw --partner fannie-mae",
    ]

    struct ClientCredentials: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            commandName: "client-credentials",
            abstract: "A token pair for your own client (grant_type=client_credentials)."
        )

        @Option(help: "Scopes, space- or comma-separated (user:read, user:write, exchange, mcp:dashboard).")
        var scope: String?

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let request = OAuthTokenRequest.clientCredentials(scope: scope.map(ScopeSet.parsingOption))
            return .result(try JSONValue(encoding: try await context.oauth.token(request)))
        }
    }

    struct Refresh: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Trade a refresh token for a new pair; the old refresh token is spent.",
            discussion: """
                The token is an argument, as for `introspect` and `revoke` (--refresh-token TOKEN is
                accepted too). Example:
                  token refresh $last.refresh_token
                """
        )

        @Argument(help: "The refresh token (pdr-…).")
        var token: String?

        @Option(name: .customLong("refresh-token"), help: .hidden)
        var refreshTokenOption: String?

        @Option(help: "Scopes to keep, space- or comma-separated; all granted scopes when omitted.")
        var scope: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            switch (token, refreshTokenOption) {
            case (nil, nil): throw ValidationError("name the refresh token: token refresh pdr-…")
            case (.some, .some): throw ValidationError("give the refresh token once: as the argument or as --refresh-token")
            default: break
            }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let request = OAuthTokenRequest.refresh(token ?? refreshTokenOption ?? "", scope: scope.map(ScopeSet.parsingOption))
            return .result(try JSONValue(encoding: try await context.oauth.token(request)))
        }
    }

    struct Exchange: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Exchange a user id or a refresh token for a token (RFC 8693).",
            discussion: """
                Shapes:
                  token exchange --user usr_… --partner fannie-mae,experian   share with CRA partners (credit:multi-user)
                  token exchange --user usr_… --client CLIENT_ID[,…]          share with other clients (credit:multi-user)
                  token exchange --user usr_… --self                          a token for your own client (tokens:user)
                  token exchange --to-client ID --refresh-token pdr-…         move to another client (oauth:user-token)
                """
        )

        @Option(help: "The user id (usr_…) whose data is shared.")
        var user: String?

        @Option(help: "Partners, comma-separated: ids, aliases or URNs (see `partners`).")
        var partner: String?

        @Option(help: "Client ids to share with, comma-separated.")
        var client: String?

        @Flag(name: .customLong("self"), help: "Exchange the user id for a token of your own client.")
        var forSelf = false

        @Option(help: "Another client id to exchange a refresh token to.")
        var toClient: String?

        @Option(help: "The refresh token to exchange (with --to-client); it must hold the `exchange` scope.")
        var refreshToken: String?

        @Option(help: "Scopes, space- or comma-separated; user:read when sharing with partners.")
        var scope: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let toClient {
                guard refreshToken != nil else { throw ValidationError("--to-client \(toClient) needs --refresh-token") }
                guard user == nil, partner == nil, client == nil, !forSelf else {
                    throw ValidationError("--to-client takes only --refresh-token (and --scope)")
                }
                return
            }
            guard let user else {
                throw ValidationError("name a user with --user usr_…, or a refresh token with --to-client ID --refresh-token pdr-…")
            }
            if let problem = UserID.problem(with: user) { throw ValidationError("--user: \(problem)") }
            let shapes = [partner != nil || client != nil, forSelf].filter { $0 }.count
            guard shapes == 1 else {
                throw ValidationError("say who receives the token: --partner NAMES and/or --client IDS, or --self")
            }
            if refreshToken != nil { throw ValidationError("--refresh-token goes with --to-client") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let scopes = scope.map(ScopeSet.parsingOption)
            let request: OAuthTokenRequest
            if let toClient, let refreshToken {
                request = .oauthUserToken(refreshToken: refreshToken, audience: toClient, scope: scopes)
            } else {
                let userID = try UserID(user ?? "")
                if forSelf {
                    request = .userToken(user: userID, clientID: context.clientID, scope: scopes)
                } else {
                    // The multi-party share: the client resolves partner names and checks every
                    // partner's rules before sending anything.
                    let partners = try CommaList.split(partner).map { try context.partners.resolve($0).id }
                    let grant = try await context.oauth.share(
                        user: userID, with: partners, clients: CommaList.split(client), scope: scopes ?? .read)
                    return .result(try JSONValue(encoding: grant.token))
                }
            }
            return .result(try JSONValue(encoding: try await context.oauth.token(request)))
        }
    }
}

/// Comma-separated option values.
enum CommaList {
    static func split(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
