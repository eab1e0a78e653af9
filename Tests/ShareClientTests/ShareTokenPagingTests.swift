import Foundation
import ShareClient
import ShareModels
import ShareSandbox
import Testing

/// `ShareTokenClient` paging both ways with Persona's cursors (https://docs.withpersona.com/pagination):
/// `links.next` towards older tokens, `links.prev` towards newer ones, against a sandbox on a port.
@Suite("ShareTokenClient pages forwards and backwards")
struct ShareTokenPagingTests {
    @Test("page(cursor:) reads links.next and links.prev; list(start: .before) walks towards newer tokens")
    func bothWays() async throws {
        try await ShareTokenClientTests.withClients { lender, _, _ in
            var created: [ShareTokenID] = []
            for _ in 0..<7 {
                created.append(try await lender.create(connectionID: ShareTokenClientTests.connection, sourceID: ShareTokenClientTests.inquiry).id)
            }
            let newestFirst = Array(created.reversed())

            // The default page size is 10: one page, no neighbours.
            let all = try await lender.page(cursor: nil)
            #expect(all.tokens.map(\.id) == newestFirst)
            #expect(all.next == nil)
            #expect(all.previous == nil)

            let first = try await lender.page(pageSize: 3, cursor: nil)
            #expect(first.tokens.map(\.id) == Array(newestFirst[0..<3]))
            #expect(first.previous == nil)
            #expect(first.next == .after(newestFirst[2]))
            let nextCursor: ShareTokenPageCursor = try #require(first.next)
            let second = try await lender.page(pageSize: 3, cursor: nextCursor)
            #expect(second.tokens.map(\.id) == Array(newestFirst[3..<6]))
            #expect(second.previous == .before(newestFirst[3]))
            // The links as the API sent them: absent where there is no such page.
            #expect(all.links == JSONAPIListDocument<ShareToken>.Links())
            #expect(first.links.prev == nil)
            #expect(try #require(first.links.next).contains(newestFirst[2].rawValue))
            #expect(try #require(second.links.prev).contains(newestFirst[3].rawValue))
            #expect(try #require(second.links.next).contains(newestFirst[5].rawValue))
            let previousCursor: ShareTokenPageCursor = try #require(second.previous)
            let back = try await lender.page(pageSize: 3, cursor: previousCursor)
            #expect(back.tokens.map(\.id) == first.tokens.map(\.id))
            #expect(back.previous == nil)

            // From the oldest token back to the newest, following links.prev.
            var pages: [[ShareTokenID]] = []
            for try await page in lender.list(pageSize: 2, start: .before(newestFirst[6])) { pages.append(page.map(\.id)) }
            #expect(pages == [[newestFirst[4], newestFirst[5]], [newestFirst[2], newestFirst[3]], [newestFirst[0], newestFirst[1]]])
        }
    }
}
