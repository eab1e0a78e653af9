import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Redemption is asynchronous (https://docs.withpersona.com/api-reference/connect/share-tokens/redeem-share-token):
/// the answer is `pending`; the record, the `…-redeemed` events and the workflows come when the
/// import has finished.
@Suite("Share tokens: asynchronous redemption")
struct AsyncRedemptionTests {
    static func withSandbox(
        redemptionDelay: Duration = .seconds(1), workflows: [WorkflowRule] = [],
        _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void
    ) async throws {
        let configuration = ShareTokenHarness.configuration(
            clock: ManualClock(), seed: ShareTokenHarness.seed(workflows: workflows), redemptionDelay: redemptionDelay)
        try await SandboxHarness.withSandbox(configuration: configuration, live: true, test)
    }

    static func eventNames(_ answer: SandboxAnswer) -> [String] {
        guard case .array(let events) = answer.json["data"] else { return [] }
        return events.compactMap { event in
            guard case .object(let object) = event, case .object(let attributes) = object["attributes"],
                case .string(let name) = attributes["name"]
            else { return nil }
            return name
        }
    }

    @Test("the redeem answer is pending with pending-at; polling sees redeemed; record and events only then")
    func pendingThenRedeemed() async throws {
        try await Self.withSandbox(redemptionDelay: .seconds(8)) { client in
            let id = try #require(try await client.createShareToken().dataID)
            let answer = try await client.redeem(id, body: #"{"data":{"attributes":{"destination-id":"inq_bank_alex"}}}"#)
            #expect(answer.status == 200)
            #expect(answer.attribute("status") == "pending")
            #expect(answer.attribute("pending-at") != nil)
            #expect(answer.rawAttribute("redeemed-at") == .null)
            // While pending: no destination record, no redeemed events, a second redeem is 409.
            // (Read first, then check the token was still pending after the reads, so that a
            // very slow machine cannot make the check wrong.)
            let record = try await client.api("/api/v1/inquiries/inq_bank_alex", as: ShareTokenHarness.destination)
            let destinationEvents = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            let stillPending = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination)
            if stillPending.attribute("status") == "pending" {
                #expect(record.status == 404)
                #expect(Self.eventNames(destinationEvents) == ["connect/share-token.inbound-created"])
            }
            let again = try await client.redeem(id)
            #expect(again.status == 409)
            #expect(again.isJSONAPIError)
            let expire = try await client.api("/api/v1/connect/share-tokens/\(id)/expire", method: .post, as: ShareTokenHarness.source)
            #expect(expire.status == 409)
            // Then the import finishes.
            let settled = try await client.settled(id)
            #expect(settled.attribute("status") == "redeemed")
            #expect(settled.attribute("redeemed-at") != nil)
            #expect(settled.attribute("pending-at") == answer.attribute("pending-at"))
            #expect(try await client.api("/api/v1/inquiries/inq_bank_alex", as: ShareTokenHarness.destination).status == 200)
            let after = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(Self.eventNames(after) == ["connect/share-token.inbound-redeemed", "connect/share-token.inbound-created"])
            let sourceEvents = try await client.api("/api/v1/events", as: ShareTokenHarness.source)
            #expect(Self.eventNames(sourceEvents) == ["connect/share-token.outbound-redeemed", "connect/share-token.outbound-created"])
            #expect(try await client.redeem(id).status == 409)
        }
    }

    @Test("concurrent redeems: exactly one is accepted, the others are 409")
    func concurrentRedeems() async throws {
        try await Self.withSandbox(redemptionDelay: .milliseconds(100)) { client in
            let id = try #require(try await client.createShareToken().dataID)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await client.redeem(id).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 7)
            #expect(try await client.settled(id).attribute("status") == "redeemed")
            let events = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(Self.eventNames(events).filter { $0 == "connect/share-token.inbound-redeemed" }.count == 1)
        }
    }

    @Test("a connection deactivated during the import makes the redemption fail with a reason")
    func failedRedemption() async throws {
        // The import must still be running when the deactivation arrives, even on a busy host.
        try await Self.withSandbox(redemptionDelay: .seconds(8)) { client in
            let id = try #require(try await client.createShareToken().dataID)
            #expect(try await client.redeem(id).attribute("status") == "pending")
            let deactivated = try await client.api(
                "/api/v1/connect/connections/\(ShareTokenHarness.connection)/deactivate", method: .post, as: ShareTokenHarness.source)
            #expect(deactivated.status == 200)
            let settled = try await client.settled(id)
            #expect(settled.attribute("status") == "failed")
            #expect(settled.attribute("failed-at") != nil)
            #expect(settled.attribute("failure-reason")?.contains("connection") == true)
            #expect(settled.rawAttribute("redeemed-at") == .null)
            let events = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(!Self.eventNames(events).contains("connect/share-token.inbound-redeemed"))
            #expect(try await client.redeem(id).status == 409)
        }
    }

    @Test("a workflow triggered by inbound-redeemed runs only once the import has finished")
    func workflowsWaitForTheImport() async throws {
        let rule = WorkflowRule(
            id: "reshare", organization: ShareTokenHarness.destination.id, trigger: .inboundRedeemed,
            action: .createShareToken(connectionID: "cxn_destination_stranger", expiresInSeconds: nil))
        var seed = ShareTokenHarness.seed(workflows: [rule])
        seed.connections.append(.init(id: "cxn_destination_stranger", source: ShareTokenHarness.destination.id, destination: ShareTokenHarness.stranger.id))
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: seed, redemptionDelay: .seconds(1))
        try await SandboxHarness.withSandbox(configuration: configuration, live: true) { client in
            let id = try #require(try await client.createShareToken().dataID)
            #expect(try await client.redeem(id).status == 200)
            let early = try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.destination)
            if try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination).attribute("status") == "pending" {
                #expect(early.listedIDs.isEmpty)
            }
            let settled = try await client.settled(id)
            let copy = try #require(settled.relationship("destination"))
            // The run follows the events of the same step; give it a moment.
            var runs = try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.destination)
            for _ in 0..<50 where runs.listedIDs.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                runs = try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.destination)
            }
            #expect(runs.listedIDs.count == 1)
            // The workflow shared the record the redemption wrote.
            let tokens = try await client.api("/api/v1/connect/share-tokens?filter%5Bdirection%5D=inbound", as: ShareTokenHarness.stranger)
            #expect(tokens.listedIDs.count == 1)
            guard case .array(let items) = tokens.json["data"], case .object(let first) = items.first,
                case .object(let relationships) = first["relationships"], case .object(let source) = relationships["source"],
                case .object(let linkage) = source["data"], case .object(let creator) = relationships["creator"],
                case .object(let creatorLinkage) = creator["data"]
            else {
                Issue.record("no re-shared token: \(tokens.bodyText)")
                return
            }
            #expect(linkage["id"] == .string(copy))
            #expect(creatorLinkage["type"] == .string("workflow-run"))
        }
    }
}
