import Foundation

/// What `share-gateway` prints on standard output, like `share-sandbox`: one line once it
/// listens, for people and for scripts that wait for it.
public enum GatewayAnnouncement {
    /// The ready line: the address the gateway listens on (the real port, also with `--port 0`),
    /// the upstream it forwards to and, when served, the console's URL —
    /// `share-gateway listening on http://127.0.0.1:8081 (upstream embedded sandbox at
    /// http://127.0.0.1:41234; console http://127.0.0.1:8081/console/)`.
    public static func ready(configuration: GatewayConfiguration, port: Int, upstreamURL: String) -> String {
        let address = baseURL(configuration: configuration, port: port)
        let upstream = configuration.upstream == .embedded ? "embedded sandbox at \(upstreamURL)" : upstreamURL
        let console = configuration.servesConsole ? "; console \(address)/console/" : ""
        return "share-gateway listening on \(address) (upstream \(upstream)\(console))"
    }

    /// The gateway's own base URL: `https` when it serves TLS, an IPv6 host in brackets.
    public static func baseURL(configuration: GatewayConfiguration, port: Int) -> String {
        let host = configuration.host
        let literal = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return (configuration.servesTLS ? "https://" : "http://") + "\(literal):\(port)"
    }

    /// The error for a port another process listens on, naming it and the way out.
    public static func portTaken(host: String, port: Int) -> String {
        "port \(port) on \(host) is already in use; choose another with --port, or --port 0 for a free one"
    }

    /// Writes `line` to standard output unbuffered, so that a reader of a pipe sees it at once.
    public static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
