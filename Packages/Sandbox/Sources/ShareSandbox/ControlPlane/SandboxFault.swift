import ShareWire

/// A failure the sandbox injects into matching requests (`POST /sandbox/faults`): an answer
/// with ``status`` (and the endpoint's own error body, or ``body``), a ``delayMilliseconds``
/// before the answer, or a connection closed without an answer (``dropConnection``), for the
/// next ``times`` requests that match.
///
/// A request matches when its method is ``method`` (any method when `nil`), its path (without
/// query) is ``path``, and, when ``clientID`` is set, it names that OAuth client (HTTP Basic,
/// `PLAID-CLIENT-ID`, or `client_id` in a JSON or form body). Paths under `/sandbox/` are never
/// faulted.
public struct SandboxFault: Hashable, Sendable, Encodable {
    /// `flt_` and 24 letters and digits.
    public var id: String
    /// The HTTP method to match, upper case; `nil` matches any.
    public var method: String?
    /// The exact path to match, e.g. `/oauth/token`.
    public var path: String
    /// The OAuth client to match; `nil` matches any request.
    public var clientID: String?
    /// The status to answer with (400–599); `nil` answers what the endpoint answers (after the
    /// delay) or nothing (a dropped connection).
    public var status: Int?
    /// The body to answer with instead of the endpoint's own error body (with ``status``).
    public var body: JSONValue?
    /// How long to wait before answering (or dropping the connection), in milliseconds.
    public var delayMilliseconds: Int?
    /// Whether to close the connection without an answer.
    public var dropConnection: Bool
    /// How many matching requests the fault was created for.
    public var times: Int
    /// How many matching requests it still applies to; at zero it is removed.
    public var remaining: Int

    public init(
        id: String, method: String? = nil, path: String, clientID: String? = nil, status: Int? = nil, body: JSONValue? = nil,
        delayMilliseconds: Int? = nil, dropConnection: Bool = false, times: Int
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.clientID = clientID
        self.status = status
        self.body = body
        self.delayMilliseconds = delayMilliseconds
        self.dropConnection = dropConnection
        self.times = times
        self.remaining = times
    }

    /// Whether a request with `method` to `path` matches, before its client is known: the client
    /// is checked by ``matches(method:path:clientID:)``.
    public func matches(method: String, path: String) -> Bool {
        (self.method == nil || self.method == method) && self.path == path
    }

    /// Whether a request with `method` to `path`, naming the client `clientID` (if any), matches.
    public func matches(method: String, path: String, clientID: String?) -> Bool {
        guard matches(method: method, path: path) else { return false }
        guard let wanted = self.clientID else { return true }
        return wanted == clientID
    }

    enum CodingKeys: String, CodingKey {
        case id, method, path, status, body, times, remaining
        case clientID = "client_id"
        case delayMilliseconds = "delay_ms"
        case dropConnection = "drop_connection"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(clientID, forKey: .clientID)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(body, forKey: .body)
        try container.encodeIfPresent(delayMilliseconds, forKey: .delayMilliseconds)
        try container.encode(dropConnection, forKey: .dropConnection)
        try container.encode(times, forKey: .times)
        try container.encode(remaining, forKey: .remaining)
    }
}
