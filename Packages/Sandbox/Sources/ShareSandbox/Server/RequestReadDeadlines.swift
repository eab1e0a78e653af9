import NIOCore

/// The read deadlines of one HTTP/1.1 connection, as a pure value: what to arm, cancel or close
/// as request parts arrive and responses leave. ``ConnectionDeadlineHandler`` feeds it channel
/// events and carries out its answers.
///
/// - A request head must arrive in full within the head timeout: counted from the start of the
///   connection for its first request (a connection that never sends one is closed), and from
///   the first bytes of the head for later ones (an idle keep-alive connection is Hummingbird's
///   `idleTimeout` to close).
/// - A request body must arrive in full within the body timeout of the end of its head.
/// - A response that starts before its request was read to the end is sent with
///   `Connection: close`; after its last byte the connection stops reading, closes its output,
///   and closes for good after ``lingerBeforeClose``. The rest of the body is never read (a
///   413 does not read the 100 MB it refuses), and the client has time to read the answer
///   before the close (closing a socket with unread input sends a reset, which may destroy the
///   answer in the client's buffer).
struct RequestReadDeadlines {
    /// How long a connection whose answer came before the end of its request stays half-open.
    static let lingerBeforeClose = TimeAmount.seconds(2)

    enum Phase: Equatable {
        /// The handler has not seen the connection start.
        case notStarted
        /// Waiting for a head; `armed` when its deadline runs.
        case awaitingHead(armed: Bool)
        /// A head arrived; its body (or just its end) is still coming.
        case readingBody
        /// The request was read; its answer is being written.
        case answering
        /// The answer went out before the request's end: output closed, no more reads.
        case lingering
    }

    /// What the handler must do.
    enum Action: Equatable {
        case doNothing
        /// (Re)arm the one deadline of the connection; when it passes, close.
        case arm(NIODeadline)
        case cancel
        /// Close the output now, stop reading, and close the connection at the deadline.
        case closeOutputAndLingerUntil(NIODeadline)
    }

    /// The kind of an inbound request part.
    enum Part {
        case head, body, end
    }

    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    private(set) var phase: Phase = .notStarted
    /// Whether the answer in progress closes the connection.
    private(set) var closesAfterAnswer = false
    /// Request heads read, and answers finished: with pipelining, a head may arrive while an
    /// earlier request is answered.
    private var headsRead = 0
    private var answersFinished = 0

    init(headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// Whether reads are to be swallowed.
    var stopsReading: Bool { phase == .lingering }

    mutating func connectionStarted(at now: NIODeadline) -> Action {
        guard phase == .notStarted else { return .doNothing }
        phase = .awaitingHead(armed: true)
        return .arm(now + headTimeout)
    }

    mutating func partRead(_ part: Part, at now: NIODeadline) -> Action {
        switch (part, phase) {
        case (_, .lingering):
            return .doNothing
        case (.head, _):
            headsRead += 1
            phase = .readingBody
            return .arm(now + bodyTimeout)
        case (.body, _):
            return .doNothing
        case (.end, .readingBody):
            phase = .answering
            return .cancel
        case (.end, _):
            return .doNothing
        }
    }

    /// A read from the socket ended, having produced `partCount` request parts. Bytes that
    /// produced none while a head is awaited are the start of a head: its deadline starts.
    mutating func readCompleted(partCount: Int, at now: NIODeadline) -> Action {
        guard partCount == 0 else { return .doNothing }
        switch phase {
        case .awaitingHead(armed: false), .answering:
            // In `.answering` the bytes are a pipelined next head.
            phase = .awaitingHead(armed: true)
            return .arm(now + headTimeout)
        default:
            return .doNothing
        }
    }

    /// An answer's head is written; `true` when it must carry `Connection: close` because the
    /// request has not been read to its end.
    mutating func answerHeadWritten() -> Bool {
        // The answer is for request `answersFinished + 1`; only when that is the request still
        // being read is its body unread.
        if phase == .readingBody && headsRead == answersFinished + 1 { closesAfterAnswer = true }
        return closesAfterAnswer
    }

    /// An answer's last part is written.
    mutating func answerEndWritten(at now: NIODeadline) -> Action {
        answersFinished += 1
        if closesAfterAnswer {
            phase = .lingering
            return .closeOutputAndLingerUntil(now + Self.lingerBeforeClose)
        }
        if phase == .answering && headsRead == answersFinished { phase = .awaitingHead(armed: false) }
        return .doNothing
    }
}
