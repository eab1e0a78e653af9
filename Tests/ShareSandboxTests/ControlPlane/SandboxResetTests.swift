import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox
import Testing

@Suite("Control plane: POST /sandbox/reset restores the configured start state")
struct SandboxResetTests {
    @Test("everything created is gone, everything configured is back", arguments: StoreKind.allCases)
    func reset(store: StoreKind) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let configuration = ControlPlaneHarness.configuration(clock: clock, storage: store.storage(in: folder))
        try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
            // Make state of every kind.
            let issued = try await client.clientCredentials(SandboxHarness.lender)
            let token = try #require(issued.string("access_token"))
            let userID = try await client.createUser(SandboxHarness.lender, clientUserID: "reset-user")
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "reset-key"]
            let created = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: key)
            let shareToken = try #require(created.dataID)
            #expect(try await client.api("/api/v1/inquiries/\(ShareTokenHarness.inquiry)/complete", method: .post, as: ShareTokenHarness.source)
                .status == 200)
            #expect(try await client.api(
                "/api/v1/connect/connections/\(ShareTokenHarness.connection)/deactivate", method: .post, as: ShareTokenHarness.source).status == 200)
            _ = try await client.addFault(#"{"path":"/nowhere","status":500,"times":5}"#)
            try await client.advanceClock(5000)

            let answer = try await client.control("/sandbox/reset")
            #expect(answer.status == 200, "\(answer.bodyText)")
            #expect(answer["reset"] == .bool(true))
            guard case .object(let clockAnswer)? = answer["clock"] else { throw ControlPlaneTestError("no clock: \(answer.bodyText)") }
            #expect(clockAnswer["offset_seconds"] == .integer(0))
            #expect(clockAnswer["now"] == .string(Timestamp(clock.now).description))

            // Issued tokens, users, share tokens, events, faults, idempotent answers: gone.
            #expect(try await !client.isActive(SandboxHarness.lender, token))
            #expect(try await client.api("/api/v1/connect/share-tokens/\(shareToken)", as: ShareTokenHarness.source).status == 404)
            #expect(try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source).listedIDs.isEmpty)
            #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.source).listedIDs.isEmpty)
            #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.destination).listedIDs.isEmpty)
            #expect(try await client.api("/api/v1/workflow-runs", as: ShareTokenHarness.source).listedIDs.isEmpty)
            #expect(try await client.control("/sandbox/faults", method: .get)["faults"] == .array([]))
            #expect(try await client.send("/nowhere", method: .get).status == 404)
            #expect(try await client.control("/sandbox/clock", method: .get).integer("offset_seconds") == 0)
            let other = LiveAPI.createBody.replacingOccurrences(of: ShareTokenHarness.inquiry, with: ShareTokenHarness.transaction)
            let reused = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: other, headers: key)
            #expect(reused.status == 201, "the idempotency key is free again: \(reused.bodyText)")
            // A user created again is a new user.
            #expect(try await client.createUser(SandboxHarness.lender, clientUserID: "reset-user") != userID)

            // Configured clients, records and connections: as configured.
            #expect(try await client.clientCredentials(SandboxHarness.otherApp).status == 200)
            let inquiry = try await client.api("/api/v1/inquiries/\(ShareTokenHarness.inquiry)", as: ShareTokenHarness.source)
            #expect(inquiry.attribute("name-first") == "Alex")
            #expect(inquiry.rawAttribute("status") == nil)
            let connection = try await client.api("/api/v1/connect/connections/\(ShareTokenHarness.connection)", as: ShareTokenHarness.source)
            #expect(connection.attribute("status") == "active")
        }
    }
}
