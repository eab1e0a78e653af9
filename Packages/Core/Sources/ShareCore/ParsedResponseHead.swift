/// A response's status line and head, as ``HTTPHeadParser`` read them.
struct ParsedResponseHead {
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    let minorVersion: Int
    let status: Int
    /// Where the reason phrase lies in the head's bytes (possibly empty).
    let reason: (start: Int32, end: Int32)
    let head: HTTPMessageHead

    /// Whether the server keeps the connection open after this response (RFC 9112 §9.3).
    var isKeepAlive: Bool {
        minorVersion >= 1 ? !head.listContains("connection", token: "close") : head.listContains("connection", token: "keep-alive")
    }
}
