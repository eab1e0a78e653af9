/// A request's start line and head, as ``HTTPHeadParser`` read them.
public struct ParsedRequestHead: Sendable {
    /// The method, as sent (methods are case-sensitive).
    public let method: String
    /// The request target, as sent.
    public let target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public let minorVersion: Int
    public let head: HTTPMessageHead

    /// Whether the client keeps the connection open after this exchange (RFC 9112 §9.3).
    @inlinable
    public var isKeepAlive: Bool {
        minorVersion >= 1 ? !head.listContains("connection", token: "close") : head.listContains("connection", token: "keep-alive")
    }
}
