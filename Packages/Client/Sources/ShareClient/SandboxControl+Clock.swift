public import ShareModels

extension SandboxControl {
    /// The sandbox's clock as `GET /sandbox/clock` answers it: the time the sandbox uses for token
    /// expiry, share-token lifetimes and event timestamps, and how far it runs ahead of real time.
    public struct Clock: Hashable, Sendable, Codable {
        /// The sandbox's current time (RFC 3339 on the wire).
        public var now: Timestamp
        /// How many seconds the sandbox's time runs ahead of the real time; `0` after a reset.
        public var offsetSeconds: Int

        public init(now: Timestamp, offsetSeconds: Int) {
            self.now = now
            self.offsetSeconds = offsetSeconds
        }

        /// How far the sandbox's time runs ahead of the real time.
        public var offset: Duration { .seconds(offsetSeconds) }

        enum CodingKeys: String, CodingKey {
            case now
            case offsetSeconds = "offset_seconds"
        }
    }
}
