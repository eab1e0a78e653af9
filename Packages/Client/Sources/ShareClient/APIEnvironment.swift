public import Foundation

/// Which deployment of the API a client talks to.
public enum APIEnvironment: Hashable, Sendable, CustomStringConvertible {
    /// `https://sandbox.plaid.com`: test data, no real consumers.
    case sandbox
    /// `https://production.plaid.com`.
    case production
    /// Any other base URL: a ShareKit sandbox on this machine, a gateway, a proxy. A path in the URL
    /// (`http://127.0.0.1:8080/api`) prefixes every endpoint path.
    case custom(URL)

    /// The base URL of the API.
    public var baseURL: URL {
        switch self {
        case .sandbox: URL(string: "https://sandbox.plaid.com")!
        case .production: URL(string: "https://production.plaid.com")!
        case .custom(let url): url
        }
    }

    public var description: String {
        switch self {
        case .sandbox: "sandbox"
        case .production: "production"
        case .custom(let url): url.absoluteString
        }
    }
}
