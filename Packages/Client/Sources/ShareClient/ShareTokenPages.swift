public import ShareModels

/// The pages of a share-token listing, fetched one at a time as they are iterated: from the
/// newest (or from the `start` given to `ShareTokenClient.list`) towards older tokens following
/// `links.next`, or, when that start is a `.before` cursor, towards newer ones following
/// `links.prev`, until a page has no link onwards.
///
/// ```swift
/// for try await page in client.list(direction: .inbound, pageSize: 50) {
///     for token in page { print(token.id, token.status) }
/// }
/// ```
public struct ShareTokenPages: AsyncSequence, Sendable {
    public typealias Element = [ShareToken]

    let client: ShareTokenClient
    let connectionID: ConnectionID?
    let status: ShareTokenStatus?
    let direction: ShareTokenDirection?
    let pageSize: Int?
    /// Where the first page starts; `nil` for the newest tokens.
    let start: ShareTokenPageCursor?

    public func makeAsyncIterator() -> Iterator { Iterator(pages: self) }

    /// Fetches the next page on each `next()`.
    public struct Iterator: AsyncIteratorProtocol {
        let pages: ShareTokenPages
        var cursor: ShareTokenPageCursor?
        var finished = false

        init(pages: ShareTokenPages) {
            self.pages = pages
            cursor = pages.start
        }

        public mutating func next() async throws -> [ShareToken]? {
            guard !finished else { return nil }
            let page = try await pages.client.page(
                connectionID: pages.connectionID, status: pages.status, direction: pages.direction, pageSize: pages.pageSize,
                cursor: cursor)
            // A walk that starts before a token goes on towards newer ones; any other goes on towards older ones.
            if case .before = pages.start { cursor = page.previous } else { cursor = page.next }
            finished = cursor == nil
            return page.tokens
        }
    }
}
