import Foundation

/// The API a shell talks to.
enum ShellTarget: Sendable, Equatable, CustomStringConvertible {
    /// The sandbox started inside this process, on a loopback port.
    case embedded(URL)
    /// The vendor's hosted sandbox.
    case sandbox
    /// The vendor's production API.
    case production
    /// Any compatible server, e.g. a `share-sandbox` or a `share-gateway`.
    case custom(URL)

    static let hostedSandboxURL = URL(string: "https://sandbox.plaid.com")!
    static let productionURL = URL(string: "https://production.plaid.com")!

    var baseURL: URL {
        switch self {
        case .embedded(let url), .custom(let url): return url
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
        }
    }

    var description: String { "\(name) (\(baseURL.absoluteString))" }
}
