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

    static let connection = "conn_source_destination"
    /// A connection of the stranger to the destination.
    static let strangerConnection = "conn_stranger_destination"

    static let inquiry = "inq_source_alex"
    static let transaction = "txn_source_alex"
    static let account = "act_source_alex"
    static let strangerInquiry = "inq_stranger_sam"

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
            ],
            records: [
                .init(id: inquiry, organization: source.id, attributes: inquiryAttributes),
                .init(id: transaction, organization: source.id, attributes: ["amount": .integer(1200)]),
                .init(id: account, organization: source.id, attributes: ["reference-id": .string("customer-1")]),
                .init(id: strangerInquiry, organization: stranger.id, attributes: ["name-first": .string("Sam")]),
            ],
            workflows: workflows
        )
    }

    /// A delivery policy for tests: the loop looks often; retries wait for the test's clock.
    static let fastDelivery = WebhookDeliveryPolicy(
        maximumAttempts: 3, initialBackoff: .seconds(60), attemptTimeout: .seconds(5), pollInterval: .milliseconds(20))

    static func configuration(
        clock: ManualClock, seed: ShareTokenSeed = seed(), storage: SandboxConfiguration.Storage = .memory
    ) -> SandboxConfiguration {
        var configuration = SandboxHarness.configuration(clock: clock, storage: storage)
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
}
