import ShareSandbox
import Testing

@Suite("workflows")
struct WorkflowTests {
    static func configuration(workflows: [ShareTokenSeed.Workflow]) -> SandboxConfiguration {
        var configuration = ShareTokenFixture.configuration(clock: ManualClock())
        configuration.shareTokenSeed.workflows = workflows
        return configuration
    }

    static let shareOnComplete = ShareTokenSeed.Workflow(
        id: "share-on-complete", organization: "org_lender", trigger: "inquiry.completed", action: "create-share-token",
        connectionID: "conn_lender_bank", expiresInSeconds: 3600)
    static let autoRedeem = ShareTokenSeed.Workflow(
        id: "auto-redeem", organization: "org_bank", trigger: "connect/share-token.inbound-created", action: "redeem-share-token")

    static func runs(_ client: SandboxTestClient, key: String) async throws -> [[String: AttributeValue]] {
        let answer = try await client.api("/api/v1/workflow-runs", key: key)
        guard case .array(let data) = answer.json["data"] else { return [] }
        return data.compactMap {
            guard case .object(let run) = $0, case .object(let attributes) = run["attributes"] else { return nil }
            return attributes
        }
    }

    @Test("completing an inquiry shares it, and the destination's workflow redeems it; both runs are recorded")
    func chain() async throws {
        try await SandboxHarness.withSandbox(configuration: Self.configuration(workflows: [Self.shareOnComplete, Self.autoRedeem])) { client in
            let complete = try await client.api("/api/v1/inquiries/inq_lender1/complete", method: .post, key: ShareTokenFixture.lenderKey)
            #expect(complete.status == 200, "\(complete.bodyText)")
            let lenderRuns = try await Self.runs(client, key: ShareTokenFixture.lenderKey)
            #expect(lenderRuns.count == 1)
            #expect(lenderRuns.first?["outcome"] == .string("succeeded"))
            guard case .string(let tokenID) = lenderRuns.first?["share-token-id"] else {
                Issue.record("no share token in the run: \(lenderRuns)")
                return
            }
            let bankRuns = try await Self.runs(client, key: ShareTokenFixture.bankKey)
            #expect(bankRuns.first?["outcome"] == .string("succeeded"))
            let token = try await client.api("/api/v1/connect/share-tokens/\(tokenID)", key: ShareTokenFixture.lenderKey)
            #expect(token.dataString("status") == "redeemed")
            #expect(token.lifetime == 3600)
        }
    }

    @Test("a failing action is recorded as failed and does not fail the API call that triggered it")
    func failureRecorded() async throws {
        let second = ShareTokenSeed.Workflow(
            id: "auto-redeem-again", organization: "org_bank", trigger: "connect/share-token.inbound-created", action: "redeem-share-token")
        try await SandboxHarness.withSandbox(configuration: Self.configuration(workflows: [Self.autoRedeem, second])) { client in
            let created = try await client.createShareToken()
            #expect(created.status == 201)
            let runs = try await Self.runs(client, key: ShareTokenFixture.bankKey)
            #expect(runs.map { $0["outcome"] } == [.string("succeeded"), .string("failed")])
            #expect(runs.last?["workflow-id"] == .string("auto-redeem-again"))
        }
    }

    @Test("only the inquiry's owner can complete it")
    func completeOwnership() async throws {
        try await SandboxHarness.withSandbox(configuration: Self.configuration(workflows: [Self.shareOnComplete])) { client in
            let foreign = try await client.api("/api/v1/inquiries/inq_lender1/complete", method: .post, key: ShareTokenFixture.bankKey)
            #expect(foreign.status == 404)
            let missing = try await client.api("/api/v1/inquiries/inq_missing/complete", method: .post, key: ShareTokenFixture.lenderKey)
            #expect(missing.status == 404)
            let runs = try await Self.runs(client, key: ShareTokenFixture.lenderKey)
            #expect(runs.isEmpty)
        }
    }

    @Test("workflows that cannot work are configuration errors")
    func invalidWorkflows() {
        var seed = ShareTokenFixture.seed()
        seed.workflows = [
            .init(id: "wrong-side", organization: "org_bank", trigger: "inquiry.completed", action: "create-share-token", connectionID: "conn_lender_bank")
        ]
        #expect(throws: SandboxConfigurationError.self) { try ShareTokenWorld(seed: seed) }
        seed.workflows = [.init(id: "unknown", organization: "org_bank", trigger: "connect/share-token.inbound-created", action: "delete-everything")]
        #expect(throws: SandboxConfigurationError.self) { try ShareTokenWorld(seed: seed) }
    }
}
