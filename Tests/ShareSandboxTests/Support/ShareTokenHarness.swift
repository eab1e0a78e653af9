import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ShareModels
import ShareSandbox

/// The share-token world of the sandbox tests: a source, a destination and a stranger
/// organization, a connection from the source to the destination, and records of each.
enum ShareTokenHarness {
    static let source = ShareTokenSeed.Organization(id: "org_source", apiKey: "source-key")
    static let destination = ShareTokenSeed.Organization(id: "org_destination", apiKey: "destination-key")
    static let stranger = ShareTokenSeed.Organization(id: "org_stranger", apiKey: "stranger-key")

    static let connection = "cxn_source_destination"
    /// A connection of the stranger to the destination.
    static let strangerConnection = "cxn_stranger_destination"
    /// A connection declared with the older `conn_` prefix, which configurations may still use.
    static let legacyConnection = "conn_source_stranger"

    static let inquiry = "inq_source_alex"
    static let transaction = "txn_source_alex"
    static let account = "act_source_alex"
    static let strangerInquiry = "inq_stranger_sam"
    static let verification = "ver_source_alex"

    static let inquiryAttributes: [String: AttributeValue] = [
        "name-first": .string("Alex"), "name-last": .string("Rivera"), "birthdate": .string("1990-04-12"),
        "score": .integer(712), "verified": .bool(true),
    ]

    static func seed(
        webhookURL: String? = nil, webhookSecret: String = "whsec-destination", sourceWebhookURL: String? = nil,
        workflows: [WorkflowRule] = []
    ) -> ShareTokenSeed {
        var destination = destination
        destination.webhookURL = webhookURL
        destination.webhookSecret = webhookURL == nil ? nil : webhookSecret
        var source = source
        source.webhookURL = sourceWebhookURL
        source.webhookSecret = sourceWebhookURL == nil ? nil : "whsec-source"
        return ShareTokenSeed(
            organizations: [source, destination, stranger],
            connections: [
                .init(id: connection, source: source.id, destination: destination.id),
                .init(id: strangerConnection, source: stranger.id, destination: destination.id),
                .init(id: legacyConnection, source: source.id, destination: stranger.id),
            ],
            records: [
                .init(id: inquiry, organization: source.id, attributes: inquiryAttributes),
                .init(id: transaction, organization: source.id, attributes: ["amount": .integer(1200)]),
                .init(id: account, organization: source.id, attributes: ["reference-id": .string("customer-1")]),
                .init(id: strangerInquiry, organization: stranger.id, attributes: ["name-first": .string("Sam")]),
                .init(id: verification, organization: source.id, attributes: ["status": .string("passed"), "id-class": .string("pp")]),
            ],
            workflows: workflows
        )
    }

    /// A delivery policy for tests: the loop looks often; retries wait for the test's clock.
    static let fastDelivery = WebhookDeliveryPolicy(
        maximumAttempts: 3, initialBackoff: .seconds(60), attemptTimeout: .seconds(5), pollInterval: .milliseconds(20))

    /// How long redemptions stay pending in tests: long enough to be seen, short enough to wait for.
    static let redemptionDelay: Duration = .milliseconds(300)

    static func configuration(
        clock: ManualClock, seed: ShareTokenSeed = seed(), storage: SandboxConfiguration.Storage = .memory,
        redemptionDelay: Duration = redemptionDelay
    ) -> SandboxConfiguration {
        var configuration = SandboxHarness.configuration(clock: clock, storage: storage)
        configuration.redemptionDelay = redemptionDelay
        configuration.shareTokenSeed = seed
        configuration.webhookDelivery = fastDelivery
        // Race and load tests send far more than Persona's 300 requests per minute with one key;
        // the rate-limit tests set the limit they test.
        configuration.apiRateLimit = 1_000_000
        configuration.logger = Logger(label: "share-token-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        return configuration
    }
}

extension SandboxAnswer {
    /// `data.attributes.<name>` as a string.
    func attribute(_ name: String) -> String? {
        guard case .object(let data) = json["data"], case .object(let attributes) = data["attributes"],
            case .string(let value) = attributes[name]
        else { return nil }
        return value
    }

    /// `data.relationships.<name>.data.id`.
    func relationship(_ name: String) -> String? {
        guard case .object(let data) = json["data"], case .object(let relationships) = data["relationships"],
            case .object(let relationship) = relationships[name], case .object(let linkage) = relationship["data"],
            case .string(let id) = linkage["id"]
        else { return nil }
        return id
    }

    /// `data.relationships.<name>.data.type`.
    func relationshipType(_ name: String) -> String? {
        guard case .object(let data) = json["data"], case .object(let relationships) = data["relationships"],
            case .object(let relationship) = relationships[name], case .object(let linkage) = relationship["data"],
            case .string(let type) = linkage["type"]
        else { return nil }
        return type
    }

    /// The keys of `data.attributes`.
    var attributeNames: Set<String> {
        guard case .object(let data) = json["data"], case .object(let attributes) = data["attributes"] else { return [] }
        return Set(attributes.keys)
    }

    /// `data.attributes.<name>`, whatever its JSON value (`.null` for an explicit null).
    func rawAttribute(_ name: String) -> AttributeValue? {
        guard case .object(let data) = json["data"], case .object(let attributes) = data["attributes"] else { return nil }
        return attributes[name]
    }

    /// `type id` of each resource of `included`.
    var includedResources: [String] {
        guard case .array(let items) = json["included"] else { return [] }
        return items.compactMap { item in
            guard case .object(let object) = item, case .string(let type) = object["type"], case .string(let id) = object["id"] else {
                return nil
            }
            return "\(type) \(id)"
        }
    }

    /// `data.id`.
    var dataID: String? {
        guard case .object(let data) = json["data"], case .string(let id) = data["id"] else { return nil }
        return id
    }

    /// The ids of a listing's `data`.
    var listedIDs: [String] {
        guard case .array(let items) = json["data"] else { return [] }
        return items.compactMap { item in
            guard case .object(let object) = item, case .string(let id) = object["id"] else { return nil }
            return id
        }
    }

    /// `links.next`.
    var nextLink: String? {
        guard case .object(let links) = json["links"], case .string(let next) = links["next"] else { return nil }
        return next
    }

    /// The JSON pointers of the `errors`.
    var errorPointers: [String] {
        guard case .array(let errors) = json["errors"] else { return [] }
        return errors.compactMap { error in
            guard case .object(let object) = error, case .object(let source) = object["source"],
                case .string(let pointer) = source["pointer"] ?? source["parameter"]
            else { return nil }
            return pointer
        }
    }

    /// Whether the body is a JSON:API error document with at least one error of this status.
    var isJSONAPIError: Bool {
        guard case .array(let errors) = json["errors"], !errors.isEmpty else { return false }
        return errors.allSatisfy { error in
            guard case .object(let object) = error, case .string(let status) = object["status"] else { return false }
            return status == String(self.status)
        }
    }
}

extension SandboxTestClient {
    func api(
        _ path: String, method: HTTPRequest.Method = .get, as organization: ShareTokenSeed.Organization?, body: String? = nil
    ) async throws -> SandboxAnswer {
        var headers: HTTPFields = [:]
        if let organization { headers[.authorization] = "Bearer \(organization.apiKey)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await send(path, method: method, headers: headers, body: body.map { Array($0.utf8) })
    }

    /// `POST /api/v1/connect/share-tokens` with the given attributes (an `Int` or a raw JSON
    /// fragment for `expires-in-seconds`).
    func createShareToken(
        as organization: ShareTokenSeed.Organization = ShareTokenHarness.source, connection: String = ShareTokenHarness.connection,
        source: String = ShareTokenHarness.inquiry, expiresIn: String? = nil
    ) async throws -> SandboxAnswer {
        var attributes = #""connection-id":"\#(connection)","source-id":"\#(source)""#
        if let expiresIn { attributes += #","expires-in-seconds":\#(expiresIn)"# }
        return try await api(
            "/api/v1/connect/share-tokens", method: .post, as: organization,
            body: #"{"data":{"type":"connect/share-token","attributes":{\#(attributes)}}}"#)
    }

    func redeem(_ id: String, as organization: ShareTokenSeed.Organization = ShareTokenHarness.destination, body: String? = nil)
        async throws -> SandboxAnswer
    {
        try await api("/api/v1/connect/share-tokens/\(id)/redeem", method: .post, as: organization, body: body)
    }

    /// Reads share token `id` until it is no longer `pending` (at most 20 seconds), and answers
    /// the last read.
    func settled(_ id: String, as organization: ShareTokenSeed.Organization = ShareTokenHarness.destination) async throws -> SandboxAnswer {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let answer = try await api("/api/v1/connect/share-tokens/\(id)", as: organization)
            if answer.attribute("status") != "pending" || ContinuousClock.now >= deadline { return answer }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Redeems share token `id` and waits until the redemption has finished; answers the
    /// token as last read (`redeemed` or `failed`), or the refusal of the redemption.
    func redeemAndSettle(
        _ id: String, as organization: ShareTokenSeed.Organization = ShareTokenHarness.destination, body: String? = nil
    ) async throws -> SandboxAnswer {
        let answer = try await redeem(id, as: organization, body: body)
        guard answer.status == 200 else { return answer }
        return try await settled(id, as: organization)
    }
}
