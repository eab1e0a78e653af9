/// One page of a newest-first listing, and the cursors of its neighbours
/// (https://docs.withpersona.com/pagination): `next` is the last item (the next page is
/// `page[after]=next`), `previous` the first (the previous page is `page[before]=previous`).
struct CursorPage<Item: Sendable, ID: Sendable>: Sendable {
    var items: [Item]
    /// The cursor of the older page, when there may be one.
    var next: ID?
    /// The cursor of the newer page, when there is one.
    var previous: ID?
}
