public import ShareWire

extension SandboxControl {
    /// A failure the sandbox injects into its own answers: the next `times` requests matching
    /// `path` (and `method` and `clientID` when set) get `status` and `body` instead of the real
    /// answer, arrive after `delayMilliseconds`, or lose their connection. A faulted answer carries
    /// the `Sandbox-Fault` header with the fault's `id`; an injected 429 carries `Retry-After`.
    ///
    /// ```swift
    /// let fault = try await sandbox.addFault(.status(503, path: "/oauth/token", times: 2))
    /// print(fault.id ?? "", fault.remaining ?? 0)    // flt_…, 2
    /// ```
    ///
    /// Built with the static makers (``status(_:path:method:clientID:body:times:)``,
    /// ``delay(_:path:method:clientID:times:)``, ``dropConnection(path:method:clientID:times:)``) or
    /// the memberwise initializer; the sandbox refuses a fault it cannot apply (no effect, a
    /// `times` below 1, a status outside 400–599, a `/sandbox/` path) with a Plaid error.
    public struct Fault: Hashable, Sendable, Codable {
        /// The sandbox's id of the fault (`flt_…`); `nil` in a fault not yet added.
        public var id: String?
        /// The HTTP method it applies to (`POST`); every method when `nil`.
        public var method: String?
        /// The request path it applies to, e.g. `/oauth/token`.
        public var path: String
        /// The OAuth client whose requests it applies to; every caller's when `nil`.
        public var clientID: String?
        /// The status answered instead of the real one (400–599); the real answer's when `nil` (a
        /// delay only).
        public var status: Int?
        /// The body answered with `status`; the endpoint's own error body for the status when `nil`.
        public var body: JSONValue?
        /// How long the sandbox waits before answering, in milliseconds.
        public var delayMilliseconds: Int?
        /// Whether the sandbox closes the connection instead of answering.
        public var dropsConnection: Bool
        /// How many matching requests it applies to, from when it was added.
        public var times: Int
        /// How many it still applies to (at zero the sandbox removes it); `nil` in a fault not yet
        /// added.
        public var remaining: Int?

        public init(
            id: String? = nil, method: String? = nil, path: String, clientID: String? = nil, status: Int? = nil, body: JSONValue? = nil,
            delayMilliseconds: Int? = nil, dropsConnection: Bool = false, times: Int, remaining: Int? = nil
        ) {
            self.id = id
            self.method = method
            self.path = path
            self.clientID = clientID
            self.status = status
            self.body = body
            self.delayMilliseconds = delayMilliseconds
            self.dropsConnection = dropsConnection
            self.times = times
            self.remaining = remaining
        }

        /// The next `times` requests to `path` are answered `status` (with `body`, or the sandbox's
        /// error body for the status).
        public static func status(
            _ status: Int, path: String, method: String? = nil, clientID: String? = nil, body: JSONValue? = nil, times: Int = 1
        ) -> Fault {
            Fault(method: method, path: path, clientID: clientID, status: status, body: body, times: times)
        }

        /// The next `times` requests to `path` are answered as usual, `delay` late.
        public static func delay(
            _ delay: Duration, path: String, method: String? = nil, clientID: String? = nil, times: Int = 1
        ) -> Fault {
            let (seconds, attoseconds) = delay.components
            let milliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
            return Fault(method: method, path: path, clientID: clientID, delayMilliseconds: milliseconds, times: times)
        }

        /// The next `times` requests to `path` get no answer: the sandbox closes the connection.
        public static func dropConnection(path: String, method: String? = nil, clientID: String? = nil, times: Int = 1) -> Fault {
            Fault(method: method, path: path, clientID: clientID, dropsConnection: true, times: times)
        }

        enum CodingKeys: String, CodingKey {
            case id, method, path, status, body, times, remaining
            case clientID = "client_id"
            case delayMilliseconds = "delay_ms"
            case dropsConnection = "drop_connection"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            method = try container.decodeIfPresent(String.self, forKey: .method)
            path = try container.decode(String.self, forKey: .path)
            clientID = try container.decodeIfPresent(String.self, forKey: .clientID)
            status = try container.decodeIfPresent(Int.self, forKey: .status)
            body = try container.decodeIfPresent(JSONValue.self, forKey: .body)
            delayMilliseconds = try container.decodeIfPresent(Int.self, forKey: .delayMilliseconds)
            dropsConnection = try container.decodeIfPresent(Bool.self, forKey: .dropsConnection) ?? false
            times = try container.decode(Int.self, forKey: .times)
            remaining = try container.decodeIfPresent(Int.self, forKey: .remaining)
        }
    }
}
