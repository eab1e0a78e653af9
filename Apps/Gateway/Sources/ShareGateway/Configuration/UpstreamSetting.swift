/// Where the gateway forwards to (`--upstream`).
public enum UpstreamSetting: Sendable, Hashable, CustomStringConvertible {
    /// The sandbox, run in-process on a free loopback port (the default).
    case embedded
    /// Plaid's hosted sandbox environment.
    case sandbox
    /// Plaid's production environment.
    case production
    /// Any base URL, e.g. a `share-sandbox` started separately: `http://127.0.0.1:8080`.
    case url(String)

    public static let sandboxURL = "https://sandbox.plaid.com"
    public static let productionURL = "https://production.plaid.com"

    /// Parses `embedded`, `sandbox`, `production` or an `http(s)://` URL.
    public init(parsing text: String) throws(GatewayConfigurationError) {
        switch text.lowercased() {
        case "embedded": self = .embedded
        case "sandbox": self = .sandbox
        case "production": self = .production
        default:
            var url = text
            while url.hasSuffix("/") { url.removeLast() }
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
                lowered.split(separator: "/", omittingEmptySubsequences: false).count >= 3,
                !lowered.contains("?"), !lowered.contains("#"), !lowered.contains("@"),
                !url.dropFirst(lowered.hasPrefix("https") ? 8 : 7).isEmpty
            else {
                throw GatewayConfigurationError("--upstream must be embedded, sandbox, production or an http(s):// base URL without credentials, query or fragment")
            }
            self = .url(url)
        }
    }

    /// The base URL for a remote upstream; `nil` for ``embedded``, whose port is known only once it runs.
    public var baseURL: String? {
        switch self {
        case .embedded: nil
        case .sandbox: Self.sandboxURL
        case .production: Self.productionURL
        case .url(let url): url
        }
    }

    public var description: String {
        switch self {
        case .embedded: "embedded"
        case .sandbox: "sandbox"
        case .production: "production"
        case .url(let url): url
        }
    }
}

/// A configuration the gateway cannot start with. The message never contains a secret.
public struct GatewayConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
