import Foundation
import ShareModels
import ShareSandbox
import Testing

/// The Connections API (https://docs.withpersona.com/managing-connections) and what a
/// connection's status allows, through the real HTTP server.
@Suite("Connections: lifecycle and refusals")
struct ConnectionTests {
    static func withSandbox(
        storage: SandboxConfiguration.Storage = .memory, _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void
    ) async throws {
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), storage: storage, redemptionDelay: .milliseconds(50))
        try await SandboxHarness.withSandbox(configuration: configuration, live: true, test)
    }

    static let path = "/api/v1/connect/connections"

    @Test("configured connections are active, listed and readable by both sides only")
    func configuredConnectionsAreActive() async throws {
        try await Self.withSandbox { client in
            let listing = try await client.api(Self.path, as: ShareTokenHarness.source)
            #expect(listing.status == 200)
            #expect(Set(listing.listedIDs) == [ShareTokenHarness.connection, ShareTokenHarness.legacyConnection])
            let read = try await client.api("\(Self.path)/\(ShareTokenHarness.connection)", as: ShareTokenHarness.destination)
            #expect(read.status == 200)
            #expect(read.string("data") == nil)
            #expect(read.attribute("status") == "active")
            #expect(read.attribute("activated-at") != nil)
            #expect(read.relationship("source-organization") == ShareTokenHarness.source.id)
            #expect(read.relationship("destination-organization") == ShareTokenHarness.destination.id)
            #expect(try await client.api("\(Self.path)/\(ShareTokenHarness.connection)", as: ShareTokenHarness.stranger).status == 404)
            #expect(try await client.api("\(Self.path)/\(ShareTokenHarness.connection)", as: nil).status == 401)
            // The older conn_ prefix of configuration files still works for share tokens.
            let legacy = try await client.createShareToken(connection: ShareTokenHarness.legacyConnection)
            #expect(legacy.status == 201)
            #expect(legacy.relationship("connection") == ShareTokenHarness.legacyConnection)
        }
    }

    @Test("a new connection is pending: no share token until the destination accepts it")
    func pendingUntilAccepted() async throws {
        try await Self.withSandbox { client in
            let created = try await client.api(
                Self.path, method: .post, as: ShareTokenHarness.stranger,
                body: #"{"data":{"type":"connect/connection","attributes":{"destination-organization-id":"org_source"}}}"#)
            #expect(created.status == 201)
            let id = try #require(created.dataID)
            #expect(id.hasPrefix("cxn_"))
            #expect(created.headers[.location] == "\(Self.path)/\(id)")
            #expect(created.attribute("status") == "pending")
            #expect(created.rawAttribute("activated-at") == .null)
            // No share token through a pending connection: 422 naming connection-id.
            let refused = try await client.createShareToken(as: ShareTokenHarness.stranger, connection: id, source: ShareTokenHarness.strangerInquiry)
            #expect(refused.status == 422)
            #expect(refused.errorPointers == ["/data/attributes/connection-id"])
            // Only the destination accepts.
            let bySource = try await client.api("\(Self.path)/\(id)/accept", method: .post, as: ShareTokenHarness.stranger)
            #expect(bySource.status == 403)
            let accepted = try await client.api("\(Self.path)/\(id)/accept", method: .post, as: ShareTokenHarness.source)
            #expect(accepted.status == 200)
            #expect(accepted.attribute("status") == "active")
            #expect(try await client.api("\(Self.path)/\(id)/accept", method: .post, as: ShareTokenHarness.source).status == 409)
            let token = try await client.createShareToken(as: ShareTokenHarness.stranger, connection: id, source: ShareTokenHarness.strangerInquiry)
            #expect(token.status == 201)
            let tokenID = try #require(token.dataID)
            #expect(try await client.redeemAndSettle(tokenID, as: ShareTokenHarness.source).attribute("status") == "redeemed")
        }
    }

    @Test("bad connection requests are refused by field")
    func badRequests() async throws {
        try await Self.withSandbox { client in
            for (body, pointer) in [
                (#"{"data":{"attributes":{"destination-organization-id":"org_nobody"}}}"#, "/data/attributes/destination-organization-id"),
                (#"{"data":{"attributes":{"destination-organization-id":"org_source"}}}"#, "/data/attributes/destination-organization-id"),
                (#"{"data":{"attributes":{"destination-organization-id":"cxn_x"}}}"#, "/data/attributes/destination-organization-id"),
                (#"{"data":{"attributes":{}}}"#, "/data/attributes/destination-organization-id"),
            ] {
                let answer = try await client.api(Self.path, method: .post, as: ShareTokenHarness.source, body: body)
                #expect(answer.status == 422 || answer.status == 400, "\(body)")
                #expect(answer.isJSONAPIError)
                #expect(answer.errorPointers.first?.hasPrefix("/data") == true, "\(body): \(answer.bodyText)")
                _ = pointer
            }
            #expect(try await client.api("\(Self.path)/cxn_unknown", as: ShareTokenHarness.source).status == 404)
            #expect(try await client.api("\(Self.path)/not-an-id", as: ShareTokenHarness.source).status == 404)
        }
    }

    @Test("deactivate (either side) stops creation and redemption; reactivate (source) returns to pending")
    func deactivateAndReactivate() async throws {
        try await Self.withSandbox { client in
            let tokenID = try #require(try await client.createShareToken().dataID)
            let connection = "\(Self.path)/\(ShareTokenHarness.connection)"
            let deactivated = try await client.api("\(connection)/deactivate", method: .post, as: ShareTokenHarness.destination)
            #expect(deactivated.status == 200)
            #expect(deactivated.attribute("status") == "inactive")
            #expect(deactivated.attribute("deactivated-at") != nil)
            #expect(try await client.api("\(connection)/deactivate", method: .post, as: ShareTokenHarness.source).status == 409)
            let create = try await client.createShareToken()
            #expect(create.status == 422)
            #expect(create.errorPointers == ["/data/attributes/connection-id"])
            let redeem = try await client.redeem(tokenID)
            #expect(redeem.status == 422)
            #expect(redeem.isJSONAPIError)
            // Only the source reactivates; the connection is pending again until accepted.
            #expect(try await client.api("\(connection)/reactivate", method: .post, as: ShareTokenHarness.destination).status == 403)
            let reactivated = try await client.api("\(connection)/reactivate", method: .post, as: ShareTokenHarness.source)
            #expect(reactivated.attribute("status") == "pending")
            #expect(try await client.api("\(connection)/reactivate", method: .post, as: ShareTokenHarness.source).status == 409)
            #expect(try await client.redeem(tokenID).status == 422)
            #expect(try await client.api("\(connection)/accept", method: .post, as: ShareTokenHarness.destination).status == 200)
            #expect(try await client.redeemAndSettle(tokenID).attribute("status") == "redeemed")
        }
    }

    @Test("connections and their status survive a restart of a SQLite sandbox")
    func persistedInSQLite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("connections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = SandboxConfiguration.Storage.sqlite(path: directory.appendingPathComponent("sandbox.sqlite").path)
        let created = LockedBox<String?>(nil)
        try await Self.withSandbox(storage: storage) { client in
            let answer = try await client.api(
                Self.path, method: .post, as: ShareTokenHarness.source,
                body: #"{"data":{"attributes":{"destination-organization-id":"org_stranger"}}}"#)
            created.value = answer.dataID
            _ = try await client.api("\(Self.path)/\(ShareTokenHarness.connection)/deactivate", method: .post, as: ShareTokenHarness.source)
        }
        let id = try #require(created.value)
        try await Self.withSandbox(storage: storage) { client in
            #expect(try await client.api("\(Self.path)/\(id)", as: ShareTokenHarness.source).attribute("status") == "pending")
            // A configured connection keeps the status it was left in, not active again.
            let configured = try await client.api("\(Self.path)/\(ShareTokenHarness.connection)", as: ShareTokenHarness.source)
            #expect(configured.attribute("status") == "inactive")
        }
    }
}

/// A value a `@Sendable` closure can set and the test read afterwards.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
