/// Pages through any newest-first listing with Persona's cursors
/// (https://docs.withpersona.com/pagination): `page[after]=<id>` answers the items listed after
/// `id`, `page[before]=<id>` the items listed just before it, and `page[size]` (1 to 100,
/// default 10) how many.
///
/// A listing only needs to answer "at most `limit` items after this one (or from the newest)";
/// share tokens, events, workflow runs and connections all page the same way through this.
struct CursorPager<ID: Hashable & Sendable>: Sendable {
    /// Where a page starts.
    enum Cursor: Hashable, Sendable {
        case newest
        case after(ID)
        case before(ID)
    }

    /// The page size when `page[size]` is absent (Persona's default).
    static var defaultSize: Int { 10 }
    /// The largest `page[size]`.
    static var maximumSize: Int { 100 }
    /// How many items one look at the listing takes while finding a `page[before]` cursor.
    static var scanBatch: Int { 100 }

    var cursor: Cursor
    var size: Int

    /// The cursor and size of `parameters`, or a 400 failure naming the bad parameter.
    /// - Parameters:
    ///   - parameters: The request's query.
    ///   - parse: Turns a cursor's text into an id, `nil` when it is not one.
    ///   - kind: What the ids are, for the error ("share token").
    init(_ parameters: QueryParameters, parse: (String) -> ID?, kind: String) throws(ShareTokenFailure) {
        size = Self.defaultSize
        if let (name, value) = parameters.value("page[size]") {
            guard let parsed = Int(value), (1...Self.maximumSize).contains(parsed) else {
                throw ShareTokenFailure.invalidParameter(name, "page[size] must be an integer from 1 to \(Self.maximumSize)")
            }
            size = parsed
        }
        let after = parameters.value("page[after]")
        let before = parameters.value("page[before]")
        switch (after, before) {
        case (nil, nil):
            cursor = .newest
        case (let (name, value)?, nil):
            guard let id = parse(value) else { throw ShareTokenFailure.invalidParameter(name, "page[after] must be a \(kind) id") }
            cursor = .after(id)
        case (nil, let (name, value)?):
            guard let id = parse(value) else { throw ShareTokenFailure.invalidParameter(name, "page[before] must be a \(kind) id") }
            cursor = .before(id)
        case (_?, _?):
            throw ShareTokenFailure.invalidParameter("page[before]", "send page[after] or page[before], not both")
        }
    }

    /// The page, read through `fetch(after, limit)`: at most `limit` items listed after `after`
    /// (from the newest when `nil`), newest first.
    /// - Parameters:
    ///   - id: The id of an item.
    ///   - kind: What the ids are, for the error when a `page[before]` cursor is not listed.
    ///   - fetch: Reads the listing.
    func page<Item: Sendable>(
        id: (Item) -> ID, kind: String, fetch: (_ after: ID?, _ limit: Int) async throws -> [Item]
    ) async throws -> CursorPage<Item, ID> {
        switch cursor {
        case .newest, .after:
            let after: ID? = if case .after(let id) = cursor { id } else { nil }
            let found = try await fetch(after, size + 1)
            let items = Array(found.prefix(size))
            return CursorPage(
                items: items, next: found.count > size ? items.last.map(id) : nil,
                previous: after == nil ? nil : items.first.map(id))
        case .before(let target):
            // Walk the listing from the newest until the cursor, keeping the items just before it.
            var preceding: [Item] = []
            var after: ID?
            while true {
                let batch = try await fetch(after, Self.scanBatch)
                if let index = batch.firstIndex(where: { id($0) == target }) {
                    preceding.append(contentsOf: batch[..<index])
                    let items = Array(preceding.suffix(size))
                    return CursorPage(
                        items: items, next: items.last.map(id), previous: preceding.count > size ? items.first.map(id) : nil)
                }
                preceding.append(contentsOf: batch)
                if preceding.count > size + 1 { preceding.removeFirst(preceding.count - size - 1) }
                guard batch.count == Self.scanBatch, let last = batch.last else {
                    throw ShareTokenFailure.invalidParameter("page[before]", "page[before] is not a \(kind) of this listing")
                }
                after = id(last)
            }
        }
    }
}
