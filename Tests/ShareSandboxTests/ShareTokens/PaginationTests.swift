import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox
import Testing

/// Persona's cursor pagination (https://docs.withpersona.com/pagination) on every listing, and
/// `GET /api/v1/events/{id}`, through the HTTP server.
@Suite("Share tokens: pagination and single events")
struct PaginationTests {
    /// The path and query of an absolute link of a live sandbox (`http://localhost/…`).
    static func relative(_ link: String) throws -> String {
        let origin = "http://localhost"
        #expect(link.hasPrefix(origin + "/api/v1/"), "\(link)")
        return String(link.dropFirst(origin.count))
    }

    @Test("share tokens page 10 at a time by default, forwards with links.next and back with links.prev")
    func shareTokens() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            var created: [String] = []
            for _ in 0..<23 { created.append(try #require(try await client.createShareToken().dataID)) }
            let newestFirst = Array(created.reversed())

            let first = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
            #expect(first.listedIDs == Array(newestFirst[0..<10]))
            #expect(first.prevLink == nil)
            let next = try #require(first.nextLink)
            #expect(next.contains("page%5Bafter%5D=\(newestFirst[9])"))
            #expect(next.contains("page%5Bsize%5D=10"))

            let second = try await client.api(try Self.relative(next), as: ShareTokenHarness.source)
            #expect(second.listedIDs == Array(newestFirst[10..<20]))
            let third = try await client.api(try Self.relative(try #require(second.nextLink)), as: ShareTokenHarness.source)
            #expect(third.listedIDs == Array(newestFirst[20..<23]))
            #expect(third.nextLink == nil)

            // Back again with links.prev.
            let back = try await client.api(try Self.relative(try #require(third.prevLink)), as: ShareTokenHarness.source)
            #expect(back.listedIDs == Array(newestFirst[10..<20]))
            let front = try await client.api(try Self.relative(try #require(back.prevLink)), as: ShareTokenHarness.source)
            #expect(front.listedIDs == Array(newestFirst[0..<10]))
            #expect(front.prevLink == nil)
            #expect(front.nextLink != nil)

            // page[before] with a size, and with filters that the links repeat.
            let before = try await client.api(
                "/api/v1/connect/share-tokens?page[before]=\(newestFirst[5])&page[size]=3&filter[status]=created", as: ShareTokenHarness.source)
            #expect(before.listedIDs == Array(newestFirst[2..<5]))
            #expect(try #require(before.prevLink).contains("filter%5Bstatus%5D=created"))
            #expect(try #require(before.nextLink).contains("page%5Bafter%5D=\(newestFirst[4])"))

            let both = try await client.api(
                "/api/v1/connect/share-tokens?page[before]=\(newestFirst[5])&page[after]=\(newestFirst[1])", as: ShareTokenHarness.source)
            #expect(both.status == 400)
            let foreign = try await client.api("/api/v1/connect/share-tokens?page[before]=\(newestFirst[5])", as: ShareTokenHarness.stranger)
            #expect(foreign.status == 400)
            #expect(foreign.errorPointers == ["page[before]"])
        }
    }

    @Test("links are absolute URLs of the host and scheme the request came to")
    func absoluteLinks() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, port in
            for _ in 0..<3 { _ = try await client.createShareToken() }
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(ShareTokenHarness.source.apiKey)"
            let direct = try await LiveAPI.send(port: port, "/api/v1/connect/share-tokens?page[size]=2", headers: headers)
            #expect(try #require(direct.nextLink).hasPrefix("http://127.0.0.1:\(port)/api/v1/connect/share-tokens?"))
            headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            headers[HTTPField.Name("X-Forwarded-Host")!] = "api.example.test"
            let proxied = try await LiveAPI.send(port: port, "/api/v1/connect/share-tokens?page[size]=2", headers: headers)
            #expect(try #require(proxied.nextLink).hasPrefix("https://api.example.test/api/v1/connect/share-tokens?"))
        }
    }

    @Test("events and workflow runs page the same way")
    func eventsAndRuns() async throws {
        let workflow = WorkflowRule(
            id: "wfl_redeem_on_arrival", organization: ShareTokenHarness.destination.id, trigger: .inboundCreated,
            action: .redeemShareToken(destinationID: nil))
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: ShareTokenHarness.seed(workflows: [workflow]))
        try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
            // Six tokens, each created and redeemed by the workflow: twelve events per side.
            for _ in 0..<6 { _ = try await client.createShareToken() }
            // Redemption is asynchronous: the redeemed events arrive once each import has finished.
            let deadline = ContinuousClock.now + .seconds(10)
            while try await client.api("/api/v1/events?page[size]=100", as: ShareTokenHarness.destination).listedIDs.count < 12,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            let events = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(events.listedIDs.count == 10)
            let more = try await client.api(try Self.relative(try #require(events.nextLink)), as: ShareTokenHarness.destination)
            #expect(more.listedIDs.count == 2)
            #expect(more.nextLink == nil)
            let back = try await client.api(try Self.relative(try #require(more.prevLink)), as: ShareTokenHarness.destination)
            #expect(back.listedIDs == events.listedIDs)

            let runs = try await client.api("/api/v1/workflow-runs?page[size]=4", as: ShareTokenHarness.destination)
            #expect(runs.listedIDs.count == 4)
            let moreRuns = try await client.api(try Self.relative(try #require(runs.nextLink)), as: ShareTokenHarness.destination)
            #expect(moreRuns.listedIDs.count == 2)
            #expect(moreRuns.nextLink == nil)
            let backRuns = try await client.api(try Self.relative(try #require(moreRuns.prevLink)), as: ShareTokenHarness.destination)
            #expect(backRuns.listedIDs == runs.listedIDs)
        }
    }

    @Test("GET /api/v1/events/{id} answers the organization's own event, 404 for others")
    func singleEvent() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            _ = try await client.createShareToken()
            let listed = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            let id = try #require(listed.listedIDs.first)
            let event = try await client.api("/api/v1/events/\(id)", as: ShareTokenHarness.destination)
            #expect(event.status == 200)
            #expect(event.dataID == id)
            #expect(event.attribute("name") == "connect/share-token.inbound-created")
            #expect(event.headers[.contentType] == "application/vnd.api+json")
            let camel = try await client.api(
                "/api/v1/events/\(id)", as: ShareTokenHarness.destination,
                headers: HTTPFields([HTTPField(name: HTTPField.Name("Key-Inflection")!, value: "camel")]))
            #expect(camel.bodyText.contains("\"createdAt\""))

            for organization in [ShareTokenHarness.source, ShareTokenHarness.stranger] {
                let other = try await client.api("/api/v1/events/\(id)", as: organization)
                #expect(other.status == 404)
                #expect(other.isJSONAPIError)
            }
            #expect(try await client.api("/api/v1/events/evt_unknown", as: ShareTokenHarness.destination).status == 404)
            #expect(try await client.api("/api/v1/events/not-an-event", as: ShareTokenHarness.destination).status == 404)
            #expect(try await client.api("/api/v1/events/\(id)", as: nil).status == 401)
        }
    }
}
