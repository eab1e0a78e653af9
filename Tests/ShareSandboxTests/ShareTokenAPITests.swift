import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ShareModels
import ShareSandbox
import Testing

/// The share-token world of these tests: a lender connected to a bank, and an outsider.
enum ShareTokenFixture {
    static let lenderKey = "lender-key"
    static let bankKey = "bank-key"
    static let outsiderKey = "outsider-key"

    static func seed(webhookURL: String? = nil) -> ShareTokenSeed {
        ShareTokenSeed(
            organizations: [
                .init(id: "org_lender", apiKey: lenderKey, webhookURL: webhookURL, webhookSecret: webhookURL == nil ? nil : "whsec-lender"),
                .init(id: "org_bank", apiKey: bankKey),
                .init(id: "org_outsider", apiKey: outsiderKey),
            ],
            connections: [
                .init(id: "conn_lender_bank", source: "org_lender", destination: "org_bank"),
                .init(id: "conn_bank_lender", source: "org_bank", destination: "org_lender"),
            ],
            records: [
                .init(id: "inq_lender1", organization: "org_lender", attributes: ["score": .integer(712), "name": .string("Ada")]),
                .init(id: "txn_bank1", organization: "org_bank", attributes: [:]),
            ]
        )
    }

    static func configuration(clock: ManualClock, webhookURL: String? = nil, policy: WebhookDeliverer.RetryPolicy = .init()) -> SandboxConfiguration {
        var configuration = SandboxHarness.configuration(clock: clock)
        configuration.shareTokenSeed = seed(webhookURL: webhookURL)
        configuration.webhookRetryPolicy = policy
        return configuration
    }
}

extension SandboxTestClient {
    func api(_ path: String, method: HTTPRequest.Method = .get, key: String?, body: String? = nil) async throws -> SandboxAnswer {
        var headers: HTTPFields = [.contentType: "application/vnd.api+json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await send(path, method: method, headers: headers, body: body.map { Array($0.utf8) })
    }

    func createShareToken(
        key: String = ShareTokenFixture.lenderKey, connection: String = "conn_lender_bank", source: String = "inq_lender1",
        expiresIn: Int? = nil
    ) async throws -> SandboxAnswer {
        var attributes = #""connection-id":"\#(connection)","source-id":"\#(source)""#
        if let expiresIn { attributes += #","expires-in-seconds":\#(expiresIn)"# }
        return try await api(
            "/api/v1/connect/share-tokens", method: .post, key: key,
            body: #"{"data":{"type":"connect/share-token","attributes":{\#(attributes)}}}"#)
    }
}

extension SandboxAnswer {
    /// `data.<key>`, `data.attributes.<key>`.
    func data(_ key: String) -> AttributeValue? {
        guard case .object(let data) = json["data"] else { return nil }
        if let value = data[key] { return value }
        guard case .object(let attributes) = data["attributes"] else { return nil }
        return attributes[key]
    }

    func dataString(_ key: String) -> String? {
        if case .string(let value) = data(key) { return value }
        return nil
    }

    /// `expires-at` minus `created-at`, in seconds.
    var lifetime: Int? {
        guard let created = dataString("created-at").flatMap(Timestamp.init(parsing:)),
            let expires = dataString("expires-at").flatMap(Timestamp.init(parsing:))
        else { return nil }
        return expires.unixSeconds - created.unixSeconds
    }

    var errorPointer: String? {
        guard case .array(let errors) = json["errors"], case .object(let first) = errors.first,
            case .object(let source) = first["source"], case .string(let pointer) = source["pointer"] ?? source["parameter"]
        else { return nil }
        return pointer
    }
}

@Suite("share tokens")
struct ShareTokenAPITests {
    static func withWorld(clock: ManualClock = ManualClock(), _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void) async throws {
        try await SandboxHarness.withSandbox(configuration: ShareTokenFixture.configuration(clock: clock), test)
    }

    @Test("creating a share token answers 201 with the token as its source sees it")
    func create() async throws {
        try await Self.withWorld { client in
            let answer = try await client.createShareToken()
            #expect(answer.status == 201, "\(answer.bodyText)")
            #expect(answer.dataString("type") == "connect/share-token")
            #expect(answer.dataString("id")?.hasPrefix("cnst_") == true)
            #expect(answer.dataString("status") == "created")
            #expect(answer.dataString("direction") == "outbound")
            #expect(answer.dataString("connection-id") == "conn_lender_bank")
            #expect(answer.dataString("source-id") == "inq_lender1")
            #expect(answer.headers[.contentType] == "application/vnd.api+json")
        }
    }

    @Test("expires-in-seconds: 59 and 1,814,401 rejected; 60 and 1,814,400 accepted; 14 days by default")
    func ttlBounds() async throws {
        try await Self.withWorld { client in
            for rejected in [59, 1_814_401, 0, -5] {
                let answer = try await client.createShareToken(expiresIn: rejected)
                #expect(answer.status == 422, "ttl \(rejected)")
                #expect(answer.errorPointer == "/data/attributes/expires-in-seconds")
            }
            for accepted in [60, 1_814_400] {
                let answer = try await client.createShareToken(expiresIn: accepted)
                #expect(answer.status == 201)
                #expect(answer.lifetime == accepted)
            }
            let byDefault = try await client.createShareToken()
            #expect(byDefault.lifetime == 1_209_600)
            let wrongType = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, key: ShareTokenFixture.lenderKey,
                body: #"{"data":{"attributes":{"connection-id":"conn_lender_bank","source-id":"inq_lender1","expires-in-seconds":"60"}}}"#)
            #expect(wrongType.status == 422)
            #expect(wrongType.errorPointer == "/data/attributes/expires-in-seconds")
        }
    }

    @Test("the connection must be the caller's as source, and the record the caller's")
    func ownership() async throws {
        try await Self.withWorld { client in
            let asDestination = try await client.createShareToken(key: ShareTokenFixture.bankKey, source: "txn_bank1")
            #expect(asDestination.status == 422)
            #expect(asDestination.errorPointer == "/data/attributes/connection-id")
            let unknownConnection = try await client.createShareToken(connection: "conn_nowhere")
            #expect(unknownConnection.errorPointer == "/data/attributes/connection-id")
            let foreignRecord = try await client.createShareToken(source: "txn_bank1")
            #expect(foreignRecord.status == 422)
            #expect(foreignRecord.errorPointer == "/data/attributes/source-id")
            let badID = try await client.createShareToken(source: "usr_nope")
            #expect(badID.status == 422)
            #expect(badID.errorPointer == "/data/attributes/source-id")
            let outsider = try await client.createShareToken(key: ShareTokenFixture.outsiderKey)
            #expect(outsider.status == 422)
        }
    }

    @Test("requests without a valid API key are 401")
    func authentication() async throws {
        try await Self.withWorld { client in
            #expect(try await client.api("/api/v1/connect/share-tokens", key: nil).status == 401)
            #expect(try await client.api("/api/v1/connect/share-tokens", key: "wrong").status == 401)
            let answer = try await client.createShareToken(key: "wrong")
            #expect(answer.status == 401)
            #expect(answer.json["errors"] != nil)
        }
    }

    @Test("only the destination redeems; the source and outsiders get 404; the record is copied")
    func redemptionByWrongParties() async throws {
        try await Self.withWorld { client in
            let id = try #require(try await client.createShareToken().dataString("id"))
            let path = "/api/v1/connect/share-tokens/\(id)/redeem"
            #expect(try await client.api(path, method: .post, key: ShareTokenFixture.lenderKey).status == 404)
            #expect(try await client.api(path, method: .post, key: ShareTokenFixture.outsiderKey).status == 404)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", key: ShareTokenFixture.outsiderKey).status == 404)
            let redeemed = try await client.api(path, method: .post, key: ShareTokenFixture.bankKey)
            #expect(redeemed.status == 200, "\(redeemed.bodyText)")
            #expect(redeemed.dataString("status") == "redeemed")
            #expect(redeemed.dataString("direction") == "inbound")
            #expect(redeemed.dataString("destination-id")?.hasPrefix("inq_") == true)
            let seenBySource = try await client.api("/api/v1/connect/share-tokens/\(id)", key: ShareTokenFixture.lenderKey)
            #expect(seenBySource.dataString("status") == "redeemed")
            #expect(seenBySource.dataString("direction") == "outbound")
        }
    }

    @Test("redeeming twice is 409")
    func doubleRedemption() async throws {
        try await Self.withWorld { client in
            let id = try #require(try await client.createShareToken().dataString("id"))
            let path = "/api/v1/connect/share-tokens/\(id)/redeem"
            #expect(try await client.api(path, method: .post, key: ShareTokenFixture.bankKey).status == 200)
            #expect(try await client.api(path, method: .post, key: ShareTokenFixture.bankKey).status == 409)
        }
    }

    @Test("a destination-id of another organization is refused; an own one is written")
    func destinationID() async throws {
        try await Self.withWorld { client in
            let id = try #require(try await client.createShareToken().dataString("id"))
            let path = "/api/v1/connect/share-tokens/\(id)/redeem"
            let foreign = try await client.api(
                path, method: .post, key: ShareTokenFixture.bankKey, body: #"{"data":{"attributes":{"destination-id":"inq_lender1"}}}"#)
            #expect(foreign.status == 422)
            let own = try await client.api(
                path, method: .post, key: ShareTokenFixture.bankKey, body: #"{"data":{"attributes":{"destination-id":"inq_bankcopy"}}}"#)
            #expect(own.dataString("destination-id") == "inq_bankcopy")
        }
    }

    @Test("expiry is enforced at read and redeem time")
    func expiry() async throws {
        let clock = ManualClock()
        try await Self.withWorld(clock: clock) { client in
            let id = try #require(try await client.createShareToken(expiresIn: 60).dataString("id"))
            clock.advance(seconds: 59)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", key: ShareTokenFixture.bankKey).dataString("status") == "created")
            clock.advance(seconds: 1)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", key: ShareTokenFixture.bankKey).dataString("status") == "expired")
            let redeem = try await client.api("/api/v1/connect/share-tokens/\(id)/redeem", method: .post, key: ShareTokenFixture.bankKey)
            #expect(redeem.status == 409)
        }
    }

    @Test("the source can expire a token early; nobody else can")
    func expireEarly() async throws {
        try await Self.withWorld { client in
            let id = try #require(try await client.createShareToken().dataString("id"))
            let path = "/api/v1/connect/share-tokens/\(id)/expire"
            #expect(try await client.api(path, method: .post, key: ShareTokenFixture.bankKey).status == 404)
            let expired = try await client.api(path, method: .post, key: ShareTokenFixture.lenderKey)
            #expect(expired.dataString("status") == "expired")
            #expect(try await client.api(path, method: .post, key: ShareTokenFixture.lenderKey).status == 409)
            let redeem = try await client.api("/api/v1/connect/share-tokens/\(id)/redeem", method: .post, key: ShareTokenFixture.bankKey)
            #expect(redeem.status == 409)
        }
    }

    @Test("lists page with page[size] and page[after], and filter by direction, status and connection")
    func pagination() async throws {
        try await Self.withWorld { client in
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try #require(try await client.createShareToken().dataString("id"))) }
            var seen: [String] = []
            var path: String? = "/api/v1/connect/share-tokens?page[size]=2"
            var pages = 0
            while let next = path, pages < 10 {
                let page = try await client.api(next, key: ShareTokenFixture.lenderKey)
                #expect(page.status == 200, "\(page.bodyText)")
                guard case .array(let data) = page.json["data"] else { Issue.record("no data"); return }
                #expect(data.count <= 2)
                for item in data { if case .object(let token) = item, case .string(let id) = token["id"] { seen.append(id) } }
                if case .object(let links) = page.json["links"], case .string(let link) = links["next"] { path = link } else { path = nil }
                pages += 1
            }
            #expect(seen == ids)
            #expect(pages == 3)
            _ = try await client.api("/api/v1/connect/share-tokens/\(ids[0])/redeem", method: .post, key: ShareTokenFixture.bankKey)
            let redeemed = try await client.api("/api/v1/connect/share-tokens?filter[status]=redeemed", key: ShareTokenFixture.lenderKey)
            if case .array(let data) = redeemed.json["data"] { #expect(data.count == 1) } else { Issue.record("no data") }
            let inbound = try await client.api("/api/v1/connect/share-tokens?filter[direction]=inbound", key: ShareTokenFixture.bankKey)
            if case .array(let data) = inbound.json["data"] { #expect(data.count == 5) } else { Issue.record("no data") }
            let outboundOfBank = try await client.api("/api/v1/connect/share-tokens?filter[direction]=outbound", key: ShareTokenFixture.bankKey)
            if case .array(let data) = outboundOfBank.json["data"] { #expect(data.isEmpty) } else { Issue.record("no data") }
            let otherConnection = try await client.api(
                "/api/v1/connect/share-tokens?filter[connection-id]=conn_bank_lender", key: ShareTokenFixture.lenderKey)
            if case .array(let data) = otherConnection.json["data"] { #expect(data.isEmpty) } else { Issue.record("no data") }
            let outsider = try await client.api("/api/v1/connect/share-tokens", key: ShareTokenFixture.outsiderKey)
            if case .array(let data) = outsider.json["data"] { #expect(data.isEmpty) } else { Issue.record("no data") }
            let badSize = try await client.api("/api/v1/connect/share-tokens?page[size]=0", key: ShareTokenFixture.lenderKey)
            #expect(badSize.status == 400)
            #expect(badSize.errorPointer == "page[size]")
        }
    }

    @Test("each side gets its lifecycle events, listed by GET /api/v1/events")
    func events() async throws {
        try await Self.withWorld { client in
            let id = try #require(try await client.createShareToken().dataString("id"))
            _ = try await client.api("/api/v1/connect/share-tokens/\(id)/redeem", method: .post, key: ShareTokenFixture.bankKey)
            func names(_ key: String) async throws -> [String] {
                let answer = try await client.api("/api/v1/events", key: key)
                guard case .array(let data) = answer.json["data"] else { return [] }
                return data.compactMap {
                    guard case .object(let event) = $0, case .object(let attributes) = event["attributes"],
                        case .string(let name) = attributes["name"]
                    else { return nil }
                    return name
                }
            }
            #expect(try await names(ShareTokenFixture.lenderKey) == ["connect/share-token.outbound-created", "connect/share-token.outbound-redeemed"])
            #expect(try await names(ShareTokenFixture.bankKey) == ["connect/share-token.inbound-created", "connect/share-token.inbound-redeemed"])
            #expect(try await names(ShareTokenFixture.outsiderKey).isEmpty)
        }
    }
}

@Suite("webhook deliveries", .serialized)
struct WebhookDeliveryTests {
    static func verify(_ delivery: WebhookReceiver.Delivery, secret: String) -> Bool {
        guard let header = delivery.signature else { return false }
        var timestamp = ""
        var signature = ""
        for part in header.split(separator: ",") {
            if part.hasPrefix("t=") { timestamp = String(part.dropFirst(2)) }
            if part.hasPrefix("v1=") { signature = String(part.dropFirst(3)) }
        }
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("\(timestamp).".utf8) + delivery.body, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined() == signature
    }

    static func eventName(_ delivery: WebhookReceiver.Delivery) -> String? {
        guard let json = try? JSONDecoder().decode([String: AttributeValue].self, from: Data(delivery.body)),
            case .object(let data) = json["data"], case .object(let attributes) = data["attributes"],
            case .string(let name) = attributes["name"]
        else { return nil }
        return name
    }

    @Test("a created token is delivered to the source's webhook with a valid Persona-Signature")
    func signedDelivery() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let configuration = ShareTokenFixture.configuration(
            clock: ManualClock(Date()), webhookURL: "http://127.0.0.1:\(receiver.port)/hooks",
            policy: .init(pollInterval: .milliseconds(20)))
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            #expect(try await client.createShareToken().status == 201)
            let deliveries = try await receiver.waitFor(count: 1)
            #expect(deliveries.count == 1)
            let delivery = try #require(deliveries.first)
            #expect(Self.verify(delivery, secret: "whsec-lender"))
            #expect(!Self.verify(delivery, secret: "another-secret"))
            #expect(Self.eventName(delivery) == "connect/share-token.outbound-created")
        }
        await receiver.stop()
    }

    @Test("an event the receiver missed while down is delivered again once it is up")
    func redelivery() async throws {
        let port = try await WebhookReceiver.unusedPort()
        let clock = ManualClock(Date())
        let configuration = ShareTokenFixture.configuration(
            clock: clock, webhookURL: "http://127.0.0.1:\(port)/hooks",
            policy: .init(requestTimeout: .seconds(2), pollInterval: .milliseconds(20)))
        let receiver = WebhookReceiver()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            #expect(try await client.createShareToken().status == 201)
            // Let the first attempt fail against the closed port.
            try await Task.sleep(for: .milliseconds(300))
            try await receiver.start(port: port)
            #expect(receiver.deliveries.isEmpty)
            clock.advance(seconds: 2)
            let deliveries = try await receiver.waitFor(count: 1)
            #expect(deliveries.count == 1)
            #expect(deliveries.first.map { Self.verify($0, secret: "whsec-lender") } == true)
        }
        await receiver.stop()
    }
}
