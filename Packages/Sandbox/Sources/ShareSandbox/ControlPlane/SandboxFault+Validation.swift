import ShareWire

extension SandboxFault {
    /// The longest `delay_ms`: one minute.
    public static let maximumDelayMilliseconds = 60_000
    /// The largest `times`.
    public static let maximumTimes = 1_000_000
    /// The members a `POST /sandbox/faults` body may have.
    static let fields = ["method", "path", "client_id", "status", "body", "delay_ms", "drop_connection", "times"]
    /// The methods a fault may name.
    static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The fault a `POST /sandbox/faults` body describes, with id `id`, or a 400 naming what is
    /// wrong. A member that is `null` counts as absent.
    init(validating object: [String: JSONValue], id: String) throws(PlaidFailure) {
        let unknown = object.keys.filter { !Self.fields.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw PlaidFailure(
                errorType: "INVALID_REQUEST", errorCode: "UNKNOWN_FIELDS",
                message: "unknown fields: \(unknown.map { String($0.prefix(64)) }.joined(separator: ", ")); "
                    + "a fault has \(Self.fields.joined(separator: ", "))")
        }
        let present = object.filter { $0.value != .null }
        guard case .string(let path)? = present["path"] else {
            throw present["path"] == nil
                ? PlaidFailure.missingFields(["path"]) : PlaidFailure.invalidField("path must be a string starting with /")
        }
        guard path.hasPrefix("/"), path.utf8.count <= 2048, !path.contains("?"), !path.contains("#") else {
            throw PlaidFailure.invalidField("path must start with / and hold no query or fragment (at most 2048 bytes), e.g. /oauth/token")
        }
        guard !SandboxControlRoutes.isControlPath(path) else {
            throw PlaidFailure.invalidField("faults never apply to /sandbox/ paths; name an endpoint of the emulated APIs")
        }
        guard let timesValue = present["times"] else { throw PlaidFailure.missingFields(["times"]) }
        guard case .integer(let times) = timesValue, (1...Self.maximumTimes).contains(times) else {
            throw PlaidFailure.invalidField("times must be an integer from 1 to \(Self.maximumTimes)")
        }
        var method: String?
        if let value = present["method"] {
            guard case .string(let text) = value, Self.methods.contains(text) else {
                throw PlaidFailure.invalidField("method must be one of \(Self.methods.joined(separator: ", ")) (upper case), or left out for any")
            }
            method = text
        }
        var clientID: String?
        if let value = present["client_id"] {
            guard case .string(let text) = value, (1...255).contains(text.utf8.count) else {
                throw PlaidFailure.invalidField("client_id must be a non-empty string of at most 255 bytes, or left out for any client")
            }
            clientID = text
        }
        var status: Int?
        if let value = present["status"] {
            guard case .integer(let code) = value, (400...599).contains(code) else {
                throw PlaidFailure.invalidField("status must be an integer from 400 to 599")
            }
            status = code
        }
        var delay: Int?
        if let value = present["delay_ms"] {
            guard case .integer(let milliseconds) = value, (1...Self.maximumDelayMilliseconds).contains(milliseconds) else {
                throw PlaidFailure.invalidField("delay_ms must be an integer from 1 to \(Self.maximumDelayMilliseconds)")
            }
            delay = milliseconds
        }
        var drop = false
        if let value = present["drop_connection"] {
            guard case .bool(let flag) = value else { throw PlaidFailure.invalidField("drop_connection must be true or false") }
            drop = flag
        }
        let body = present["body"]
        if body != nil, status == nil {
            throw PlaidFailure.invalidField("body needs a status to answer it with")
        }
        if drop, status != nil {
            throw PlaidFailure.invalidField("drop_connection closes the connection without an answer: leave status and body out")
        }
        guard status != nil || delay != nil || drop else {
            throw PlaidFailure.invalidField("a fault needs a status, a delay_ms or drop_connection: true")
        }
        self.init(
            id: id, method: method, path: path, clientID: clientID, status: status, body: body, delayMilliseconds: delay,
            dropConnection: drop, times: times)
    }
}
