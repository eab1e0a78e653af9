import Foundation
import ShareModels
import ShareSandbox
import Testing

@Suite("Share tokens: workflows")
struct WorkflowTests {
    static let shareOnCompletion = WorkflowRule(
        id: "share-on-completion", organization: ShareTokenHarness.source.id, trigger: .inquiryCompleted,
        action: .createShareToken(connectionID: ShareTokenHarness.connection, expiresInSeconds: 3600))
    static let autoRedeem = WorkflowRule(
        id: "auto-redeem", organization: ShareTokenHarness.destination.id, trigger: .inboundCreated,
        action: .redeemShareToken(destinationID: nil))
    /// Names a connection whose source is another organization: its action always fails.
    static let misconfigured = WorkflowRule(
        id: "wrong-connection", organization: ShareTokenHarness.source.id, trigger: .inquiryCompleted,
        action: .createShareToken(connectionID: ShareTokenHarness.strangerConnection, expiresInSeconds: nil))

    static func withSandbox(
        _ workflows: [WorkflowRule], _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void
    ) async throws {
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: ShareTokenHarness.seed(workflows: workflows))
        try await SandboxHarness.withSandbox(configuration: configuration, test)
    }

    static func runs(_ answer: SandboxAnswer) -> [[String: AttributeValue]] {
        guard case .array(let items) = answer["data"] else { return [] }
        return items.compactMap { item in
            guard case .object(let object) = item, case .object(let attributes) = object["attributes"] else { return nil }
            return attributes
        }
    }

    @Test("completing an inquiry creates a share token, and the destination's workflow redeems it")
    func completionSharesAndRedeems() async throws {
        try await Self.withSandbox([Self.shareOnCompletion, Self.autoRedeem]) { client in
            let completed = try await client.api("/api/v1/inquiries/\(ShareTokenHarness.inquiry)/complete", method: .post, as: ShareTokenHarness.source)
            #expect(completed.status == 200)
            #expect(completed.attribute("status") == "completed")

            let tokens = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
            let id = try #require(tokens.listedIDs.first)
            #expect(tokens.listedIDs.count == 1)
            // The workflow's redemption finishes in the background.
            let token = try await client.settled(id)
            #expect(token.attribute("status") == "redeemed")
            #expect(token.relationship("source") == ShareTokenHarness.inquiry)
            let copy = try #require(token.relationship("destination"))
            #expect(try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.destination).status == 200)

            let sourceRuns = Self.runs(try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.source))
            #expect(sourceRuns.count == 1)
            #expect(sourceRuns.first?["workflow-id"] == .string("share-on-completion"))
            #expect(sourceRuns.first?["trigger-name"] == .string("inquiry.completed"))
            #expect(sourceRuns.first?["status"] == .string("succeeded"))
            #expect(sourceRuns.first?["share-token-id"] == .string(id))
            let destinationRuns = Self.runs(try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.destination))
            #expect(destinationRuns.count == 1)
            #expect(destinationRuns.first?["workflow-id"] == .string("auto-redeem"))
            #expect(destinationRuns.first?["trigger-name"] == .string("connect/share-token.inbound-created"))
            #expect(destinationRuns.first?["status"] == .string("succeeded"))
        }
    }

    @Test("a failing action is recorded as a failed run and the triggering call still succeeds")
    func failingActionIsRecorded() async throws {
        try await Self.withSandbox([Self.misconfigured, Self.shareOnCompletion]) { client in
            let completed = try await client.api("/api/v1/inquiries/\(ShareTokenHarness.inquiry)/complete", method: .post, as: ShareTokenHarness.source)
            #expect(completed.status == 200)
            let runs = Self.runs(try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.source))
            let byWorkflow = Dictionary(uniqueKeysWithValues: runs.compactMap { run -> (String, [String: AttributeValue])? in
                guard case .string(let id) = run["workflow-id"] else { return nil }
                return (id, run)
            })
            #expect(byWorkflow["wrong-connection"]?["status"] == .string("failed"))
            guard case .string(let error) = byWorkflow["wrong-connection"]?["error"] else {
                Issue.record("no error recorded: \(runs)")
                return
            }
            #expect(error.contains("connection"))
            // The other workflow on the same trigger still ran.
            #expect(byWorkflow["share-on-completion"]?["status"] == .string("succeeded"))
            #expect(try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source).listedIDs.count == 1)
        }
    }

    @Test("a share token created through the API also triggers the destination's workflow")
    func apiCreationTriggersRedemption() async throws {
        try await Self.withSandbox([Self.autoRedeem]) { client in
            let created = try await client.createShareToken()
            #expect(created.status == 201)
            // The creator's answer reflects its own call.
            #expect(created.attribute("status") == "created")
            let id = try #require(created.dataID)
            #expect(try await client.settled(id, as: ShareTokenHarness.source).attribute("status") == "redeemed")
            // A manual redemption afterwards is the double redemption it is.
            #expect(try await client.redeemAndSettle(id).status == 409)
        }
    }

    @Test("only the inquiry's owner can complete it")
    func completionOwnership() async throws {
        try await Self.withSandbox([Self.shareOnCompletion]) { client async throws in
            let path = "/api/v1/inquiries/\(ShareTokenHarness.inquiry)/complete"
            #expect(try await client.api(path, method: .post, as: ShareTokenHarness.destination).status == 404)
            #expect(try await client.api(path, method: .post, as: nil).status == 401)
            #expect(try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.source).listedIDs.isEmpty)
        }
    }

    @Test("a workflow whose action cannot act on its trigger is a configuration error")
    func invalidRuleRefused() {
        let rule = WorkflowRule(
            id: "bad", organization: ShareTokenHarness.destination.id, trigger: .inquiryCompleted, action: .redeemShareToken(destinationID: nil))
        #expect(throws: ShareTokenSeedError.self) { try ShareTokenDirectory(seed: ShareTokenHarness.seed(workflows: [rule])) }
        let unknownOrganization = WorkflowRule(
            id: "orphan", organization: "org_nobody", trigger: .inboundCreated, action: .redeemShareToken(destinationID: nil))
        #expect(throws: ShareTokenSeedError.self) { try ShareTokenDirectory(seed: ShareTokenHarness.seed(workflows: [unknownOrganization])) }
    }

    @Test("workflows decode from the configuration's JSON")
    func decodesFromJSON() throws {
        let json = """
            [{"id":"a","organization":"org_source","trigger":"inquiry.completed",
              "action":{"type":"create-share-token","connection-id":"conn_source_destination","expires-in-seconds":3600}},
             {"id":"b","organization":"org_destination","trigger":"connect/share-token.inbound-created",
              "action":{"type":"redeem-share-token"}}]
            """
        let rules = try JSONDecoder().decode([WorkflowRule].self, from: Data(json.utf8))
        #expect(rules == [
            WorkflowRule(id: "a", organization: "org_source", trigger: .inquiryCompleted,
                         action: .createShareToken(connectionID: "conn_source_destination", expiresInSeconds: 3600)),
            WorkflowRule(id: "b", organization: "org_destination", trigger: .inboundCreated, action: .redeemShareToken(destinationID: nil)),
        ])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WorkflowRule.self, from: Data(#"{"id":"c","organization":"org_source","trigger":"x","action":{"type":"launch"}}"#.utf8))
        }
    }
}
