public import ShareModels

/// Where a page of a share-token listing starts (https://docs.withpersona.com/pagination):
/// after a token (`page[after]`, older ones) or before it (`page[before]`, newer ones).
public enum ShareTokenPageCursor: Hashable, Sendable {
    /// The tokens listed after this one: the next (older) page.
    case after(ShareTokenID)
    /// The tokens listed just before this one: the previous (newer) page.
    case before(ShareTokenID)
}
