import NIOConcurrencyHelpers

/// A ``SandboxStore`` that keeps everything in memory: the default, gone when the process ends.
///
/// One lock guards all state, and every call holds it only for a few dictionary operations. A
/// lock rather than an actor: the calls are short and synchronous, and `/oauth/introspect`
/// profiles showed the actor's executor switches (two per request) costing more than the work.
///
/// A workflow run is checked against the stored runs of its (workflow, event) and stored with its
/// action under the lock, so each pair runs once; claims on pending workflows hold until their
/// lease lapses, as on the stores several processes share.
public final class InMemorySandboxStore: SandboxStore {
    private let state = NIOLockedValueBox(State())

    /// Everything the store holds.
    struct State {
        var oauth = InMemoryOAuthState()
        /// Records, share tokens, events and workflow runs (see `InMemoryShareTokenState`).
        var shareTokens = InMemoryShareTokenState()
        /// The control plane's clock (``SandboxTimeline``).
        var clock = SandboxClockSetting.start
        /// The control plane's faults.
        var faults = SandboxFaultTable()
    }

    public init() {}

    /// Runs `body` with the state locked.
    func withState<Result>(_ body: (inout State) -> Result) -> Result { state.withLockedValue(body) }

    public func saveClient(_ client: StoredClient) { withState { $0.oauth.clients[client.id] = client } }

    public func client(id: String) -> StoredClient? { withState { $0.oauth.clients[id] } }

    public func createUser(_ user: StoredUser) -> StoredUser { withState { $0.oauth.createUser(user) } }

    public func user(id: String) -> StoredUser? { withState { $0.oauth.users[id] } }
    public func user(tokenDigest digest: TokenDigest) -> StoredUser? { withState { $0.oauth.user(tokenDigest: digest) } }

    public func insertTokens(_ newTokens: [StoredToken]) { withState { $0.oauth.insertTokens(newTokens) } }

    public func insertTokens(_ newTokens: [StoredToken], derivedFrom parent: TokenDigest, at now: Int) -> Bool {
        withState { $0.oauth.insertTokens(newTokens, derivedFrom: parent, at: now) }
    }

    public func token(_ digest: TokenDigest) -> StoredToken? { withState { $0.oauth.tokens[digest] } }

    public func rotate(spending digest: TokenDigest, issuing: [StoredToken], at now: Int) -> RefreshRotation {
        withState { $0.oauth.rotate(spending: digest, issuing: issuing, at: now) }
    }

    @discardableResult
    public func revokeTree(from digest: TokenDigest, at now: Int) -> Int {
        withState { $0.oauth.revokeTree(from: digest, at: now) }
    }
}
