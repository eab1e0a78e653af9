import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox
import Testing

/// `Idempotency-Key` on the share-token API (https://docs.withpersona.com/idempotence), through
/// the HTTP server.
@Suite("Share tokens: Idempotency-Key")
struct IdempotencyTests {
    static let key = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "create-alex-1")])

    @Test("a retried create answers the saved token and creates no second one; other parameters are refused")
    func retriedCreate() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            let first = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: Self.key)
            #expect(first.status == 201)
            let retry = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: Self.key)
            #expect(retry.status == 201)
            #expect(retry.bodyText == first.bodyText)
            #expect(retry.headers[.location] == first.headers[.location])
            let listed = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
            #expect(listed.listedIDs == [try #require(first.dataID)])

            // The same parameters with other spacing, key order and key casing are the same request.
            let reordered = #"{ "data": { "attributes": { "sourceId": "\#(ShareTokenHarness.inquiry)", "connection_id": "\#(ShareTokenHarness.connection)" }, "type": "connect/share-token" } }"#
            let same = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: reordered, headers: Self.key)
            #expect(same.status == 201)
            #expect(same.dataID == first.dataID)

            // Other parameters with the same key are refused, and create nothing.
            let other = LiveAPI.createBody.replacingOccurrences(of: ShareTokenHarness.inquiry, with: ShareTokenHarness.transaction)
            let refused = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: other, headers: Self.key)
            #expect(refused.status == 422)
            #expect(refused.isJSONAPIError)
            #expect(refused.bodyText.contains("\"details\""))
            // Another path with the same key is another request too.
            let elsewhere = try await client.api(
                "/api/v1/connect/share-tokens/\(try #require(first.dataID))/expire", method: .post, as: ShareTokenHarness.source,
                headers: Self.key)
            #expect(elsewhere.status == 422)
            #expect(try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source).listedIDs.count == 1)

            // Keys are per organization: the stranger's request with the same key runs (and fails on its own terms).
            let stranger = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.stranger, body: LiveAPI.createBody, headers: Self.key)
            #expect(stranger.status != 201 || stranger.dataID != first.dataID)
            #expect(stranger.bodyText != first.bodyText)
        }
    }

    @Test("a retried redeem answers the saved redemption instead of 409; without a key it is 409")
    func retriedRedeem() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            let id = try #require(try await client.createShareToken().dataID)
            let key = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "redeem-\(id)")])
            let path = "/api/v1/connect/share-tokens/\(id)/redeem"
            let first = try await client.api(path, method: .post, as: ShareTokenHarness.destination, headers: key)
            #expect(first.status == 200)
            let retry = try await client.api(path, method: .post, as: ShareTokenHarness.destination, headers: key)
            #expect(retry.status == 200)
            #expect(retry.bodyText == first.bodyText)
            let unkeyed = try await client.api(path, method: .post, as: ShareTokenHarness.destination)
            #expect(unkeyed.status == 409)
            // Only one destination record was written: one redeemed event, once the redemption finished.
            #expect(try await client.settled(id).attribute("status") == "redeemed")
            let events = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(events.bodyText.components(separatedBy: "connect/share-token.inbound-redeemed").count - 1 == 1)
        }
    }

    @Test("a saved error is replayed too, a GET ignores the key, a bad key is 400, and keys expire after 24 hours")
    func errorsAndExpiry() async throws {
        let clock = ManualClock()
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: clock)) { client, _ in
            let key = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "bad-create")])
            let bad = #"{"data":{"attributes":{"connection-id":"\#(ShareTokenHarness.connection)","source-id":"\#(ShareTokenHarness.inquiry)","expires-in-seconds":5}}}"#
            let first = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: bad, headers: key)
            #expect(first.status == 422)
            let again = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: bad, headers: key)
            #expect(again.status == 422)
            #expect(again.bodyText == first.bodyText)

            let listing = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source, headers: key)
            #expect(listing.status == 200)

            let empty = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: String(repeating: "k", count: 256))])
            let tooLong = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: empty)
            #expect(tooLong.status == 400)
            #expect(tooLong.isJSONAPIError)

            let create = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "daily")])
            let one = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: create)
            clock.advance(seconds: 23 * 3600)
            let stillSaved = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: create)
            #expect(stillSaved.dataID == one.dataID)
            clock.advance(seconds: 3600)
            let fresh = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: create)
            #expect(fresh.status == 201)
            #expect(fresh.dataID != one.dataID)
        }
    }

    @Test("the same key sent several times at once creates exactly one token", arguments: StoreKind.allCases)
    func concurrentCreates(kind: StoreKind) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idempotency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), storage: kind.storage(in: folder))
        let round = kind.rawValue
        try await LiveAPI.withSandbox(configuration: configuration) { _, port in
            var fields = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "at-once-\(round)")])
            fields[.authorization] = "Bearer \(ShareTokenHarness.source.apiKey)"
            let headers = fields
            let answers = try await withThrowingTaskGroup(of: SandboxAnswer.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await LiveAPI.send(port: port, "/api/v1/connect/share-tokens", method: .post, headers: headers, body: LiveAPI.createBody)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.map(\.status) == [201, 201, 201, 201])
            #expect(Set(answers.compactMap(\.dataID)).count == 1)
            // On a connection of its own: the harness's client connected when the sandbox started,
            // and a first request later than the head timeout (the creates above, on a loaded
            // machine) would find that connection closed by the server, as it should be.
            var listing = headers
            listing[HTTPField.Name("Idempotency-Key")!] = nil
            let listed = try await LiveAPI.send(port: port, "/api/v1/connect/share-tokens", headers: listing)
            #expect(listed.listedIDs.count == 1)
        }
    }

    @Test("saved answers survive a restart with the SQLite store")
    func persisted() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("idempotency-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualClock()
        let configuration = ShareTokenHarness.configuration(clock: clock, storage: .sqlite(path: path))
        let saved = TokenText()
        for round in 0..<2 {
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                let answer = try await client.api(
                    "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: Self.key)
                #expect(answer.status == 201)
                if round == 0 { saved.set(answer.bodyText) } else { #expect(answer.bodyText == saved.value) }
                #expect(try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source).listedIDs.count == 1)
            }
        }
    }
}

/// A string set in one sandbox run and read in the next.
final class TokenText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ value: String) { lock.withLock { text = value } }
    var value: String { lock.withLock { text } }
}
