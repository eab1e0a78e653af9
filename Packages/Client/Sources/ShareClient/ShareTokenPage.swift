public import ShareModels

/// One page of a share-token listing, newest first, with the cursors of the pages around it,
/// read from the answer's `links.next` and `links.prev`.
public struct ShareTokenPage: Hashable, Sendable {
    /// The tokens of the page.
    public var tokens: [ShareToken]
    /// The next (older) page, `nil` on the last one.
    public var next: ShareTokenPageCursor?
    /// The previous (newer) page, `nil` on the first one.
    public var previous: ShareTokenPageCursor?
    /// The answer's `links` exactly as sent (`prev` and `next` URLs, each absent when there is no
    /// such page).
    public var links: JSONAPIListDocument<ShareToken>.Links

    public init(
        tokens: [ShareToken], links: JSONAPIListDocument<ShareToken>.Links = .init(), next: ShareTokenPageCursor? = nil,
        previous: ShareTokenPageCursor? = nil
    ) {
        self.tokens = tokens
        self.links = links
        self.next = next
        self.previous = previous
    }
}
