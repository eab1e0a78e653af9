import ArgumentParser
import Logging
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareWire

/// Everything a command needs to run: the API clients of the current target and the partner
/// registry. A value type, so a running command can be cancelled without sharing mutable state.
struct ShellContext: Sendable {
    /// Where requests go, for `env` and the banner.
    var target: ShellTarget
    /// The client id requests authenticate with (never the secret); empty when the target adds
    /// its own credentials (a `share-gateway`) or none are needed for the command.
    var clientID: String
    /// The OAuth client, `nil` when the command runs without an API (`share partners`).
    var oauthClient: OAuthClient?
    var partners: PartnerRegistry
    /// The share-token API as one organization (`SHARE_API_KEY`, or the demo lender's key on the
    /// embedded sandbox); `nil` when no key is known.
    var shareTokens: ShareTokenClient? = nil
    /// The lines entered, for the `history` command; `nil` when there is no history file.
    var history: HistoryStore? = nil
    /// Where the embedded sandbox keeps its state between runs (`sandbox reset --delete-state`
    /// deletes it).
    var sandboxState: EmbeddedSandboxState? = nil
    /// The control plane (`/sandbox/…`) of the target; `nil` when the run has no target.
    var sandboxControl: SandboxControl? = nil
    /// The organizations `as ORG` can switch to.
    var organizations = ShellOrganizations()
    /// The organization chosen with `as ORG` (or `--as ORG`); `nil` for `SHARE_API_KEY`'s.
    var actingAs: String? = nil
    /// The organization share-token commands act as without `as`, when known (the embedded
    /// sandbox's demo lender).
    var defaultOrganization: String? = nil
    /// Makes the share-token client of the target for an API key; `nil` when the target has no
    /// share-token API.
    var makeShareTokenClient: (@Sendable (APIKey) -> ShareTokenClient)? = nil
    /// Behind a share-gateway: makes the share-token client acting as an organization the gateway
    /// holds an API key for (sent as `Share-Organization`); `nil` elsewhere.
    var makeGatewayShareTokenClient: (@Sendable (OrganizationID) -> ShareTokenClient)? = nil

    init(
        target: ShellTarget, clientID: String, oauth: OAuthClient?, partners: PartnerRegistry,
        shareTokens: ShareTokenClient? = nil, history: HistoryStore? = nil
    ) {
        self.target = target
        self.clientID = clientID
        self.oauthClient = oauth
        self.partners = partners
        self.shareTokens = shareTokens
        self.history = history
    }

    /// Share-token commands act as `organization` from now on (``ShellOrganizations``).
    mutating func act(as organization: String) throws {
        if let makeGatewayShareTokenClient {
            // The gateway injects the chosen organization's API key; it refuses one it has none for.
            if let problem = OrganizationID.problem(with: organization) { throw ValidationError(problem) }
            shareTokens = makeGatewayShareTokenClient(OrganizationID(validated: organization))
            actingAs = organization
            return
        }
        guard let makeShareTokenClient else { throw ValidationError("this run has no share-token API to act on") }
        shareTokens = makeShareTokenClient(try organizations.apiKey(for: organization))
        actingAs = organization
    }

    /// The OAuth client of the target.
    var oauth: OAuthClient {
        get throws {
            guard let oauthClient else { throw ValidationError("this command needs an API; none is set up for this run") }
            return oauthClient
        }
    }
}

/// What a command produced.
enum CommandOutcome: Sendable, Equatable {
    /// An API response (or other structured result), remembered as `$last` and `$N`.
    case result(JSONValue)
    /// An API response exactly as it came, and a fact about it for a person (on standard error,
    /// so `--json` output stays the API's own).
    case annotatedResult(JSONValue, note: String)
    /// Text for a person, not remembered.
    case message(String)
    /// `set NAME VALUE`.
    case setVariable(name: String, value: JSONValue)
    /// `as ORG`: act as another organization (``ShellContext/act(as:)``).
    case actAs(String)
    /// `exit`.
    case exit
}

/// A command of the shell's command tree.
protocol ShellRunnable: Sendable {
    /// Output options of this line (`--json`, `--table`, `--reveal`, `--quiet`).
    var outputOptions: OutputOptions { get }
    func run(in context: ShellContext) async throws -> CommandOutcome
}
