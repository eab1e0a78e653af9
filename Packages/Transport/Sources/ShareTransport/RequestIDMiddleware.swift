public import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-Id`: correlates one call across the client, gateways and the API's logs.
    public static let requestID = HTTPField.Name("X-Request-Id")!
}

/// Gives every request an `X-Request-Id`: an id already on the request (e.g. forwarded by a
/// gateway) is kept, else the id bound to ``propagated`` is used, otherwise a new one is made. The same id is sent on every retry of the
/// request, and is recorded in any ``TransportError`` thrown below this middleware.
///
/// Place it first, so that logging, retries and errors all see the id.
public struct RequestIDMiddleware: TransportMiddleware {
    private let makeID: @Sendable () -> String

    /// A middleware that makes ids with `makeID` (by default 16 random bytes as 32 hex digits).
    public init(makeID: @escaping @Sendable () -> String = RequestIDMiddleware.randomID) {
        self.makeID = makeID
    }

    /// An id to send instead of a new one, e.g. the id of the incoming request a server is
    /// handling, so that its outgoing calls carry the same id:
    ///
    /// ```swift
    /// try await RequestIDMiddleware.$propagated.withValue(incomingID) { try await client.introspect(token) }
    /// ```
    @TaskLocal public static var propagated: String?

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        let id: String
        if let existing = request.headerFields[.requestID], !existing.isEmpty {
            id = existing
        } else {
            id = Self.propagated.flatMap { $0.isEmpty ? nil : $0 } ?? makeID()
            request.headerFields[.requestID] = id
        }
        do {
            return try await next(request, body)
        } catch var error as TransportError {
            if error.requestID == nil { error.requestID = id }
            throw error
        }
    }

    /// 16 random bytes as 32 lowercase hex digits.
    @Sendable public static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<2 {
            var word = generator.next() as UInt64
            for _ in 0..<16 {
                bytes.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
