import NIOConcurrencyHelpers

/// How many connections each client address holds, with a cap: a connection over the cap is
/// refused (closed at once by ``ForwardingHandler``), so one client cannot take every connection
/// the gateway serves (``ClientConnectionLimits/maximumConnectionsPerClient``).
///
/// Shared by every connection; its lock is held for one dictionary update per connection opened
/// or closed, never per request. Only addresses with open connections are kept.
final class ClientConnectionCounter: Sendable {
    let maximumPerClient: Int
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    init(maximumPerClient: Int) {
        self.maximumPerClient = maximumPerClient
    }

    /// Counts a new connection from `client`; `false` (and nothing counted) when the client holds
    /// ``maximumPerClient`` already.
    func open(client: String) -> Bool {
        counts.withLockedValue { counts in
            let current = counts[client, default: 0]
            guard current < maximumPerClient else { return false }
            counts[client] = current + 1
            return true
        }
    }

    /// Forgets one of `client`'s connections, counted by ``open(client:)``.
    func close(client: String) {
        counts.withLockedValue { counts in
            let remaining = counts[client, default: 1] - 1
            counts[client] = remaining > 0 ? remaining : nil
        }
    }

    /// The connections `client` holds.
    func count(client: String) -> Int {
        counts.withLockedValue { $0[client, default: 0] }
    }
}
