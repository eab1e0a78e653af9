import Foundation
import ShareModels
import ShareSandbox
import SharePartners
import ShareWire

/// The JSON file of `share-sandbox --config FILE`:
///
/// ```json
/// {
///   "clients":  [{"client_id": "my-app", "secret": "…", "scopes": "user:read exchange",
///                 "grant_types": ["client_credentials", "refresh_token"]}],
///   "partners": [{"partner": "fannie-mae", "client_id": "fnma-app", "secret": "…"}],
///   "access_token_ttl": 900,
///   "access_token_lifetimes": {"client_credentials": 900, "urn:plaid:params:credit:multi-user": 2591999},
///   "refresh_token_ttl": 2592000,
///   "max_connections": 512, "head_timeout": 10, "body_timeout": 30, "idle_timeout": 60,
///   "webhook_timeout": 5,
///   "control_plane": true,
///   "retention": 86400,
///   "organizations": [], "connections": [], "records": [], "workflows": []
/// }
/// ```
///
/// Every key is optional. `organizations`, `connections`, `records` and `workflows` describe
/// the share-token world (see `ShareTokenSeed` and `WorkflowRule`). `retention` is a positive
/// number of seconds, or `false` to keep everything (`SandboxRetention`).
public struct SandboxConfigFile: Decodable, Sendable {
    /// A client entry.
    public struct Client: Decodable, Sendable {
        public var clientID: String
        public var secret: String
        /// Space-separated scopes; the default set when absent.
        public var scopes: String?
        /// The grant types the client may use; all documented grants when absent.
        public var grantTypes: [String]?

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case secret
            case scopes
            case grantTypes = "grant_types"
        }
    }

    /// A client acting for a partner, named by id, alias or audience URN.
    public struct Partner: Decodable, Sendable {
        public var partner: String
        public var clientID: String
        public var secret: String

        enum CodingKeys: String, CodingKey {
            case partner
            case clientID = "client_id"
            case secret
        }
    }

    public var clients: [Client]
    public var partners: [Partner]
    public var accessTokenTTL: Int?
    /// Access-token lifetimes per grant type or subject token type (``AccessTokenLifetimes``).
    public var accessTokenLifetimes: [String: Int]
    public var refreshTokenTTL: Int?
    /// The connection cap (`max_connections`).
    public var maxConnections: Int?
    /// Seconds for a request head (`head_timeout`), a body (`body_timeout`) and an idle
    /// keep-alive connection (`idle_timeout`).
    public var headTimeout: Int?
    public var bodyTimeout: Int?
    public var idleTimeout: Int?
    /// Requests per minute each API key may make to the share-token API (`api_rate_limit`).
    public var apiRateLimit: Int?
    /// Seconds a webhook receiver has to answer a delivery (`webhook_timeout`): the
    /// ``WebhookDeliveryPolicy/attemptTimeout``, from which the claim lease follows.
    public var webhookTimeout: Int?
    /// Whether the `/sandbox/` control plane is served (`control_plane`, on when absent).
    public var controlPlane: Bool?
    /// How long finished rows are kept (`retention`): seconds, or `false` for ever; a day when absent.
    public var retention: RetentionSetting?
    public var shareTokenSeed: ShareTokenSeed

    enum CodingKeys: String, CodingKey {
        case clients, partners, organizations, connections, records, workflows
        case accessTokenTTL = "access_token_ttl"
        case accessTokenLifetimes = "access_token_lifetimes"
        case refreshTokenTTL = "refresh_token_ttl"
        case maxConnections = "max_connections"
        case headTimeout = "head_timeout"
        case bodyTimeout = "body_timeout"
        case idleTimeout = "idle_timeout"
        case apiRateLimit = "api_rate_limit"
        case webhookTimeout = "webhook_timeout"
        case controlPlane = "control_plane"
        case retention
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clients = try container.decodeIfPresent([Client].self, forKey: .clients) ?? []
        partners = try container.decodeIfPresent([Partner].self, forKey: .partners) ?? []
        accessTokenTTL = try container.decodeIfPresent(Int.self, forKey: .accessTokenTTL)
        refreshTokenTTL = try container.decodeIfPresent(Int.self, forKey: .refreshTokenTTL)
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections)
        headTimeout = try container.decodeIfPresent(Int.self, forKey: .headTimeout)
        bodyTimeout = try container.decodeIfPresent(Int.self, forKey: .bodyTimeout)
        idleTimeout = try container.decodeIfPresent(Int.self, forKey: .idleTimeout)
        apiRateLimit = try container.decodeIfPresent(Int.self, forKey: .apiRateLimit)
        webhookTimeout = try container.decodeIfPresent(Int.self, forKey: .webhookTimeout)
        controlPlane = try container.decodeIfPresent(Bool.self, forKey: .controlPlane)
        retention = try container.decodeIfPresent(RetentionSetting.self, forKey: .retention)
        let limits: [(CodingKeys, Int?)] = [
            (.maxConnections, maxConnections), (.headTimeout, headTimeout), (.bodyTimeout, bodyTimeout), (.idleTimeout, idleTimeout),
            (.apiRateLimit, apiRateLimit), (.webhookTimeout, webhookTimeout),
        ]
        for (key, value) in limits {
            if let value, value <= 0 {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be a positive number")
            }
        }
        accessTokenLifetimes = try container.decodeIfPresent([String: Int].self, forKey: .accessTokenLifetimes) ?? [:]
        for (key, seconds) in accessTokenLifetimes where !AccessTokenLifetimes.keys.contains(key) || seconds <= 0 {
            throw DecodingError.dataCorruptedError(
                forKey: .accessTokenLifetimes, in: container,
                debugDescription: "access_token_lifetimes: \"\(key)\" must be one of \(AccessTokenLifetimes.keys.joined(separator: ", ")) "
                    + "with a positive number of seconds")
        }
        shareTokenSeed = ShareTokenSeed(
            organizations: try container.decodeIfPresent([ShareTokenSeed.Organization].self, forKey: .organizations) ?? [],
            connections: try container.decodeIfPresent([ShareTokenSeed.Connection].self, forKey: .connections) ?? [],
            records: try container.decodeIfPresent([ShareTokenSeed.Record].self, forKey: .records) ?? [],
            workflows: try container.decodeIfPresent([WorkflowRule].self, forKey: .workflows) ?? []
        )
    }

    /// Reads and decodes the file at `path`.
    public static func load(path: String) throws -> SandboxConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxConfigurationError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(SandboxConfigFile.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let position = WireJSON.syntaxError(in: data) {
                throw SandboxConfigurationError("\(path) is not JSON: \(position)")
            }
            throw SandboxConfigurationError("\(path) is not a valid sandbox configuration: \(Self.explain(error))")
        }
    }

    /// The file's clients as registrations, partners resolved through `registry`.
    public func registrations(partners registry: PartnerRegistry) throws -> [ClientRegistration] {
        var result: [ClientRegistration] = []
        for client in clients {
            let scopes = client.scopes.map(ScopeSet.init(parsing:)) ?? ClientRegistration.defaultScopes
            if let unknown = scopes.undocumented.first {
                throw SandboxConfigurationError("client \(client.clientID): unknown scope \"\(unknown)\"")
            }
            let grants = client.grantTypes.map { $0.map(GrantType.init(rawValue:)) } ?? GrantType.documented
            if let unknown = grants.first(where: { !$0.isDocumented }) {
                throw SandboxConfigurationError("client \(client.clientID): unknown grant type \"\(unknown)\"")
            }
            result.append(ClientRegistration(id: client.clientID, secret: client.secret, scopes: scopes, grantTypes: grants))
        }
        for partner in partners {
            let adapter: any PartnerAdapter
            do {
                adapter = try registry.resolve(partner.partner)
            } catch {
                throw SandboxConfigurationError("partners: \(error)")
            }
            result.append(ClientRegistration(id: partner.clientID, secret: partner.secret, partner: adapter.id))
        }
        return result
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key]).map(\.stringValue).joined(separator: ".") + " is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
