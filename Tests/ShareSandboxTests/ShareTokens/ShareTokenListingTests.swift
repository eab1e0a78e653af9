import Foundation
import ShareModels
import ShareSandbox
import Testing

@Suite("Share tokens: listing, filters and pagination")
struct ShareTokenListingTests {
    static func withSandbox(_ test: @escaping @Sendable (SandboxTestClient) async throws -> Void) async throws {
        try await SandboxHarness.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock()), test)
    }

    static func directions(_ answer: SandboxAnswer) -> [String] {
        guard case .array(let items) = answer["data"] else { return [] }
        return items.compactMap { item in
            guard case .object(let object) = item, case .object(let attributes) = object["attributes"],
                case .string(let direction) = attributes["direction"]
            else { return nil }
            return direction
        }
    }

    @Test("page[size] and page[after] walk every token once, newest first, following links.next")
    func pagination() async throws {
        try await Self.withSandbox { client in
            var created: [String] = []
            for _ in 0..<5 { created.append(try #require(try await client.createShareToken().dataID)) }
            var seen: [String] = []
            var pageSizes: [Int] = []
            var path: String? = "/api/v1/connect/share-tokens?page%5Bsize%5D=2"
            while let next = path {
                let page = try await client.api(next, as: ShareTokenHarness.source)
                #expect(page.status == 200)
                seen += page.listedIDs
                pageSizes.append(page.listedIDs.count)
                path = page.nextLink
                #expect(pageSizes.count <= 5)
                if pageSizes.count > 5 { break }
            }
            #expect(pageSizes == [2, 2, 1])
            #expect(seen == created.reversed())
            // Unencoded brackets are read the same.
            let raw = try await client.api("/api/v1/connect/share-tokens?page[size]=3&page[after]=\(created[4])", as: ShareTokenHarness.source)
            #expect(raw.listedIDs == [created[3], created[2], created[1]])
        }
    }

    @Test("both organizations list the token, each with its own direction")
    func bothSidesSeeTheToken() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let source = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
            #expect(source.listedIDs == [id])
            #expect(Self.directions(source) == ["outbound"])
            let destination = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.destination)
            #expect(destination.listedIDs == [id])
            #expect(Self.directions(destination) == ["inbound"])
            #expect(try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.stranger).listedIDs.isEmpty)
        }
    }

    @Test("filters: connection-id, status and direction")
    func filters() async throws {
        try await Self.withSandbox { client in
            let mine = try #require(try await client.createShareToken().dataID)
            let redeemed = try #require(try await client.createShareToken(source: ShareTokenHarness.transaction).dataID)
            _ = try await client.redeemAndSettle(redeemed)
            let theirs = try #require(
                try await client.createShareToken(
                    as: ShareTokenHarness.stranger, connection: ShareTokenHarness.strangerConnection, source: ShareTokenHarness.strangerInquiry
                ).dataID)
            let base = "/api/v1/connect/share-tokens"
            let destination = ShareTokenHarness.destination
            #expect(try await client.api(base, as: destination).listedIDs == [theirs, redeemed, mine])
            #expect(
                try await client.api("\(base)?filter%5Bconnection-id%5D=\(ShareTokenHarness.strangerConnection)", as: destination).listedIDs
                    == [theirs])
            #expect(try await client.api("\(base)?connection-id=\(ShareTokenHarness.connection)", as: destination).listedIDs == [redeemed, mine])
            #expect(try await client.api("\(base)?filter%5Bstatus%5D=redeemed", as: destination).listedIDs == [redeemed])
            #expect(try await client.api("\(base)?status=created", as: destination).listedIDs == [theirs, mine])
            #expect(try await client.api("\(base)?filter%5Bdirection%5D=outbound", as: destination).listedIDs.isEmpty)
            #expect(try await client.api("\(base)?direction=inbound", as: destination).listedIDs.count == 3)
            #expect(try await client.api("\(base)?direction=outbound", as: ShareTokenHarness.source).listedIDs == [redeemed, mine])
            // Filters survive into links.next.
            let first = try await client.api("\(base)?filter%5Bstatus%5D=created&page%5Bsize%5D=1", as: destination)
            #expect(first.listedIDs == [theirs])
            let second = try await client.api(try #require(first.nextLink), as: destination)
            #expect(second.listedIDs == [mine])
            #expect(second.nextLink == nil)
        }
    }

    @Test("bad query parameters are 400s naming the parameter")
    func badParameters() async throws {
        try await Self.withSandbox { client in
            let base = "/api/v1/connect/share-tokens"
            let cases: [(String, String)] = [
                ("\(base)?page%5Bsize%5D=0", "page[size]"),
                ("\(base)?page%5Bsize%5D=101", "page[size]"),
                ("\(base)?page%5Bsize%5D=ten", "page[size]"),
                ("\(base)?page%5Bafter%5D=cnst_unknown", "page[after]"),
                ("\(base)?page%5Bafter%5D=oops", "page[after]"),
                ("\(base)?filter%5Bstatus%5D=lost", "filter[status]"),
                ("\(base)?direction=sideways", "direction"),
                ("\(base)?filter%5Bconnection-id%5D=x", "filter[connection-id]"),
                ("/api/v1/events?page%5Bsize%5D=1000", "page[size]"),
            ]
            for (path, parameter) in cases {
                let answer = try await client.api(path, as: ShareTokenHarness.source)
                #expect(answer.status == 400, "\(path)")
                #expect(answer.errorPointers == [parameter], "\(path): \(answer.bodyText)")
            }
        }
    }

    @Test("events are listed per organization with the names of the lifecycle")
    func eventsListing() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            _ = try await client.redeemAndSettle(id)
            func names(_ answer: SandboxAnswer) -> [String] {
                guard case .array(let items) = answer["data"] else { return [] }
                return items.compactMap { item in
                    guard case .object(let object) = item, case .object(let attributes) = object["attributes"],
                        case .string(let name) = attributes["name"]
                    else { return nil }
                    return name
                }
            }
            let source = try await client.api("/api/v1/events", as: ShareTokenHarness.source)
            #expect(names(source) == ["connect/share-token.outbound-redeemed", "connect/share-token.outbound-created"])
            let destination = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(names(destination) == ["connect/share-token.inbound-redeemed", "connect/share-token.inbound-created"])
            #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.stranger).listedIDs.isEmpty)
            let firstPage = try await client.api("/api/v1/events?page%5Bsize%5D=1", as: ShareTokenHarness.destination)
            #expect(firstPage.listedIDs.count == 1)
            let secondPage = try await client.api(try #require(firstPage.nextLink), as: ShareTokenHarness.destination)
            #expect(names(secondPage) == ["connect/share-token.inbound-created"])
            // Each event carries the token as its organization sees it.
            let event = try JSONDecoder().decode(JSONAPIListDocument<ShareTokenEvent>.self, from: Data(destination.bodyText.utf8))
            #expect(event.data.allSatisfy { $0.shareToken.id.rawValue == id && $0.shareToken.direction == .inbound })
        }
    }
}
