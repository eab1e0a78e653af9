/// A request's start line and head, as ``HTTPHeadParser`` read them.
struct ParsedRequestHead {
    /// The method, as sent (methods are case-sensitive).
    let method: String
    /// The request target, as sent.
    let target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    let minorVersion: Int
    let head: HTTPMessageHead

    /// Whether the client keeps the connection open after this exchange (RFC 9112 §9.3).
    var isKeepAlive: Bool {
        minorVersion >= 1 ? !head.listContains("connection", token: "close") : head.listContains("connection", token: "keep-alive")
    }
}
