public import ShareModels

/// The pages of a share-token listing, fetched one at a time as they are iterated, following
/// the API's `page[after]` cursor until a page says it is the last.
///
/// ```swift
/// for try await page in client.list(direction: .inbound, pageSize: 50) {
///     for token in page { … }
/// }
/// ```
public struct ShareTokenPages: AsyncSequence, Sendable {
    public typealias Element = [ShareToken]

    let client: ShareTokenClient
    let connectionID: ConnectionID?
    let status: ShareTokenStatus?
    let direction: ShareTokenDirection?
    let pageSize: Int?

    public func makeAsyncIterator() -> Iterator { Iterator(pages: self) }

    /// Fetches the next page on each `next()`.
    public struct Iterator: AsyncIteratorProtocol {
        let pages: ShareTokenPages
        var after: ShareTokenID?
        var finished = false

        init(pages: ShareTokenPages) { self.pages = pages }

        public mutating func next() async throws -> [ShareToken]? {
            guard !finished else { return nil }
            let (tokens, next) = try await pages.client.page(
                connectionID: pages.connectionID, status: pages.status, direction: pages.direction, pageSize: pages.pageSize, after: after)
            after = next
            finished = next == nil
            return tokens
        }
    }
}
