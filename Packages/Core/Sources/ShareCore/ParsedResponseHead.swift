/// A response's status line and head, as ``HTTPHeadParser`` read them.
public struct ParsedResponseHead: Sendable {
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public let minorVersion: Int
    public let status: Int
    /// Where the reason phrase lies in the head's bytes (possibly empty).
    public let reason: (start: Int32, end: Int32)
    public let head: HTTPMessageHead

    /// Whether the server keeps the connection open after this response (RFC 9112 §9.3).
    @inlinable
    public var isKeepAlive: Bool {
        minorVersion >= 1 ? !head.listContains("connection", token: "close") : head.listContains("connection", token: "keep-alive")
    }
}
