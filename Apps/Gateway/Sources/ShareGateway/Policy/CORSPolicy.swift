import HTTPTypes
import NIOHTTP1

/// Cross-origin rules for browser frontends: an exact allowlist of origins.
///
/// - A request whose `Origin` is not listed is refused (403) before it reaches the upstream, so
///   a page on another site cannot use a visitor's browser to spend the gateway's credentials.
///   Requests without `Origin` (servers, SDKs, curl) are not browser cross-origin requests and
///   pass.
/// - Preflights (`OPTIONS` with `Access-Control-Request-Method`) are answered by the gateway and
///   never forwarded.
/// - The allowed origin is echoed (`Vary: Origin`); `*` is never sent, and neither is
///   `Access-Control-Allow-Credentials`, since the gateway needs no cookies.
public struct CORSPolicy: Sendable, Hashable {
    /// The exact origins allowed, e.g. `https://app.example.com`.
    public let allowedOrigins: Set<String>
    /// Headers a frontend may send: what browsers and Plaid's SDKs send, plus the gateway's own.
    public static let allowedHeaders = "Accept, Content-Type, Plaid-Version, X-Request-Id, X-Gateway-Key, User-Agent, Accept-Language, Content-Language"
    public static let allowedMethods = "GET, POST, DELETE, OPTIONS"
    public static let exposedHeaders = "X-Request-Id, Retry-After"
    /// How long a browser may cache a preflight, in seconds.
    public static let maxAge = "600"

    /// Validates each origin: `scheme://host[:port]`, no path, no `*`.
    public init(allowedOrigins: [String]) throws(CORSPolicyError) {
        var origins = Set<String>()
        for origin in allowedOrigins {
            let lowered = origin.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
                throw CORSPolicyError(origin: origin, reason: "an origin starts with http:// or https://")
            }
            let rest = lowered.drop(while: { $0 != "/" }).dropFirst(2)
            guard !rest.isEmpty, !rest.contains("/"), !rest.contains("*"), !rest.contains("?"), !rest.contains("#"),
                !rest.contains("@"), !rest.contains(" ")
            else {
                throw CORSPolicyError(origin: origin, reason: "an origin is scheme://host[:port], with no path or wildcard")
            }
            origins.insert(lowered)
        }
        self.allowedOrigins = origins
    }

    /// Whether a request carrying `origin` may proceed.
    public func allows(origin: String) -> Bool { allowedOrigins.contains(origin) }

    /// The headers of a successful preflight for `origin` (already checked with ``allows(origin:)``).
    func preflightHeaders(origin: String) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(6)
        fields[.accessControlAllowOrigin] = origin
        fields[.accessControlAllowMethods] = Self.allowedMethods
        fields[.accessControlAllowHeaders] = Self.allowedHeaders
        fields[.accessControlMaxAge] = Self.maxAge
        fields[.vary] = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
        return fields
    }

    /// Adds the CORS headers of an actual (non-preflight) response for an allowed `origin`.
    func decorate(_ headers: inout HTTPHeaders, origin: String) {
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
        headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: Self.exposedHeaders)
        let vary = headers["vary"]
        if vary.isEmpty {
            headers.add(name: "Vary", value: "Origin")
        } else if !vary.contains(where: { $0.lowercased().contains("origin") }) {
            headers.replaceOrAdd(name: "Vary", value: vary.joined(separator: ", ") + ", Origin")
        }
    }
}

/// An `--allow-origin` value that cannot be used.
public struct CORSPolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    public let origin: String
    public let reason: String
    public var description: String { "invalid allowed origin \"\(origin.prefix(120))\": \(reason)" }
}
