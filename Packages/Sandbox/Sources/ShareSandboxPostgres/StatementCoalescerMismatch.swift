/// A coalesced statement returned another number of responses than it had requests.
struct StatementCoalescerMismatch: Error, CustomStringConvertible {
    var description: String { "a coalesced statement returned another number of responses than it had requests" }
}
