import Foundation
import ShareModels
import Testing

@testable import ShareSandbox

/// The pure parts of key inflection (https://docs.withpersona.com/api-key-inflection) and of
/// cursor paging (https://docs.withpersona.com/pagination).
@Suite("Key inflection and cursor paging")
struct KeyInflectionTests {
    @Test("kebab keys inflect to camel and snake, and any casing reads back as kebab")
    func inflections() {
        #expect(KeyInflection.camel.inflect(kebab: "expires-in-seconds") == "expiresInSeconds")
        #expect(KeyInflection.snake.inflect(kebab: "expires-in-seconds") == "expires_in_seconds")
        #expect(KeyInflection.kebab.inflect(kebab: "expires-in-seconds") == "expires-in-seconds")
        #expect(KeyInflection.camel.inflect(kebab: "data") == "data")
        for key in ["expiresInSeconds", "expires_in_seconds", "expires-in-seconds"] {
            #expect(KeyInflection.kebab(key) == "expires-in-seconds")
        }
        #expect(KeyInflection.kebab("id") == "id")
    }

    @Test("the rewriter changes keys only: values, numbers, escapes and spacing are kept")
    func rewriter() throws {
        let json = #"{"data": {"type":"connect/share-token","attributes":{"source-id":"inq-a:b","note":"x\"y","created-at" :1.50,"list":["a-b",{"inner-key":null}]}}}"#
        let rewritten = try #require(JSONKeyRewriter.rewrite(Array(json.utf8)) { KeyInflection.camel.inflect(kebab: $0) })
        #expect(
            String(decoding: rewritten, as: UTF8.self)
                == #"{"data": {"type":"connect/share-token","attributes":{"sourceId":"inq-a:b","note":"x\"y","createdAt" :1.50,"list":["a-b",{"innerKey":null}]}}}"#)
        #expect(JSONKeyRewriter.rewrite(Array(#"{"open"#.utf8)) { $0 } == nil)
    }

    @Test("the pager reads newest, after and before pages with their neighbours from any listing")
    func pager() async throws {
        let items = (0..<25).map { "item\($0)" }  // newest first
        let fetch: (String?, Int) async throws -> [String] = { after, limit in
            let start = after.flatMap { items.firstIndex(of: $0).map { $0 + 1 } } ?? 0
            return Array(items[start...].prefix(limit))
        }
        func page(_ query: String) async throws -> CursorPage<String, String> {
            let pager = try CursorPager<String>(QueryParameters(query: query), parse: { $0.hasPrefix("item") ? $0 : nil }, kind: "item")
            return try await pager.page(id: { $0 }, kind: "item", fetch: fetch)
        }
        let first = try await page("")
        #expect(first.items == Array(items[0..<10]))
        #expect(first.next == "item9")
        #expect(first.previous == nil)
        let after = try await page("page[after]=item9&page[size]=5")
        #expect(after.items == Array(items[10..<15]))
        #expect(after.previous == "item10")
        let before = try await page("page[before]=item10&page[size]=5")
        #expect(before.items == Array(items[5..<10]))
        #expect(before.next == "item9")
        #expect(before.previous == "item5")
        let top = try await page("page[before]=item3&page[size]=5")
        #expect(top.items == Array(items[0..<3]))
        #expect(top.previous == nil)
        let last = try await page("page[after]=item19")
        #expect(last.items == Array(items[20..<25]))
        #expect(last.next == nil)
        await #expect(throws: ShareTokenFailure.self) { try await page("page[before]=item99") }
        #expect(throws: ShareTokenFailure.self) { try CursorPager<String>(QueryParameters(query: "page[size]=0"), parse: { $0 }, kind: "item") }
        #expect(throws: ShareTokenFailure.self) {
            try CursorPager<String>(QueryParameters(query: "page[after]=item1&page[before]=item2"), parse: { $0 }, kind: "item")
        }
    }

    @Test("the rate limiter allows the limit per 60-second window that starts with a key's first request")
    func rateLimiter() {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = NowBox(now)
        let limiter = APIRateLimiter(limit: 2, clock: SandboxClock { clock.now })
        let organization = try! OrganizationID("org_a")
        #expect(limiter.take(for: organization).remaining == 1)
        #expect(limiter.take(for: organization).allowed)
        let refused = limiter.take(for: organization)
        #expect(!refused.allowed)
        #expect(refused.secondsToReset == 60)
        now += 59.5
        clock.now = now
        #expect(!limiter.take(for: organization).allowed)
        now += 0.5
        clock.now = now
        let fresh = limiter.take(for: organization)
        #expect(fresh.allowed)
        #expect(fresh.remaining == 1)
        #expect(limiter.take(for: try! OrganizationID("org_b")).remaining == 1)
    }
}

/// A settable time for the limiter test.
final class NowBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ value: Date) { self.value = value }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
