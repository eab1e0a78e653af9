/// One OAuth scope. Values the API does not document are kept as they are.
public struct Scope: WireString, Comparable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `user:read`: read user data.
    public static let userRead: Scope = "user:read"
    /// `user:write`: write user data.
    public static let userWrite: Scope = "user:write"
    /// `exchange`: exchange a refresh token with `urn:plaid:params:oauth:user-token`.
    public static let exchange: Scope = "exchange"
    /// `mcp:dashboard`: access the MCP dashboard server.
    public static let mcpDashboard: Scope = "mcp:dashboard"

    /// The scopes the API currently accepts.
    public static let documented: [Scope] = [.userRead, .userWrite, .exchange, .mcpDashboard]

    /// Whether the API documents this scope.
    public var isDocumented: Bool { Self.documented.contains(self) }

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }
}
