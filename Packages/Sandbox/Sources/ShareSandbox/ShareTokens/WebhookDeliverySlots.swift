import NIOConcurrencyHelpers
import ShareModels

/// Which organizations have a webhook delivery attempt in flight, so that the delivery loop runs
/// attempts for different organizations in parallel (at most `capacity` at once) while each
/// organization has at most one: a slow receiver holds up only its own events.
///
/// An organization whose attempt has finished stays busy until the loop's next look at the store
/// (``releaseFinished()``), which therefore reads the progress that attempt stored: an event is
/// never attempted twice from a stale listing.
final class WebhookDeliverySlots: Sendable {
    private struct State {
        var busy: Set<OrganizationID> = []
        var finished: Set<OrganizationID> = []
    }

    private let state = NIOLockedValueBox(State())
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Frees the organizations whose attempts finished since the last call.
    func releaseFinished() {
        state.withLockedValue { state in
            state.busy.subtract(state.finished)
            state.finished.removeAll()
        }
    }

    /// Takes a slot for `organization`; `false` when it has one already or none is free.
    func claim(_ organization: OrganizationID) -> Bool {
        state.withLockedValue { state in
            guard state.busy.count < capacity, !state.busy.contains(organization) else { return false }
            state.busy.insert(organization)
            return true
        }
    }

    /// Marks the attempt of `organization` finished (its progress stored).
    func finish(_ organization: OrganizationID) {
        state.withLockedValue { _ = $0.finished.insert(organization) }
    }

    /// How many slots are taken.
    var busyCount: Int { state.withLockedValue { $0.busy.count } }
}
