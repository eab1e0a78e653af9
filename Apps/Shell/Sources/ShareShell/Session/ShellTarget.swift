import Foundation

/// The API a shell talks to.
enum ShellTarget: Sendable, Equatable, CustomStringConvertible {
    /// The sandbox started inside this process, on a loopback port; `nil` when the command needs
    /// none (`share partners`).
    case embedded(URL?)
    /// The vendor's hosted sandbox.
    case sandbox
    /// The vendor's production API.
    case production
    /// Any compatible server, e.g. a `share-sandbox`.
    case custom(URL)
    /// A `share-gateway`: it adds the client credentials itself, so the shell sends none.
    case gateway(URL)

    static let hostedSandboxURL = URL(string: "https://sandbox.plaid.com")!
    static let productionURL = URL(string: "https://production.plaid.com")!

    /// Where requests go; `nil` for an embedded sandbox that was not started.
    var baseURL: URL? {
        switch self {
        case .embedded(let url): return url
        case .custom(let url), .gateway(let url): return url
        case .sandbox: return Self.hostedSandboxURL
        case .production: return Self.productionURL
        }
    }

    var name: String {
        switch self {
        case .embedded: return "embedded"
        case .sandbox: return "sandbox"
        case .production: return "production"
        case .custom: return "custom"
        case .gateway: return "gateway"
        }
    }

    var description: String { baseURL.map { "\(name) (\($0.absoluteString))" } ?? name }
}
