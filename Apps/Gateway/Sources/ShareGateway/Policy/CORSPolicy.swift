import HTTPTypes
import NIOCore

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
    public static let allowedHeaders = "Accept, Content-Type, Plaid-Version, X-Request-Id, X-Gateway-Key, Share-Organization, User-Agent, Accept-Language, Content-Language"
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

    /// Adds the CORS headers of an actual (non-preflight) response for an allowed `origin` to a
    /// response the gateway makes itself.
    func decorate(_ fields: inout HTTPFields, origin: String) {
        fields[.accessControlAllowOrigin] = origin
        fields[.accessControlExposeHeaders] = Self.exposedHeaders
        fields[.vary] = Self.vary(adding: fields[.vary])
    }

    /// Writes the CORS header lines of a relayed response for an allowed `origin`; `vary` is the
    /// upstream's `Vary`, held back from the relayed headers (``HeaderPolicy``).
    func writeHeaders(origin: String, vary: String?, into out: inout ByteBuffer) {
        HTTPResponseWriter.writeField("Access-Control-Allow-Origin", origin, into: &out)
        HTTPResponseWriter.writeField("Access-Control-Expose-Headers", Self.exposedHeaders, into: &out)
        HTTPResponseWriter.writeField("Vary", Self.vary(adding: vary), into: &out)
    }

    /// `Vary` with `Origin` in it.
    private static func vary(adding existing: String?) -> String {
        guard let existing, !existing.isEmpty else { return "Origin" }
        return existing.lowercased().contains("origin") ? existing : existing + ", Origin"
    }
}

/// An `--allow-origin` value that cannot be used.
public struct CORSPolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    public let origin: String
    public let reason: String
    public var description: String { "invalid allowed origin \"\(origin.prefix(120))\": \(reason)" }
}
