/// One column of a list table: its heading and where its value is in each item.
struct TableColumn: Sendable, Equatable {
    var title: String
    /// The path of the value in an item, e.g. `["attributes", "expires-at"]`.
    var path: [String]

    init(_ title: String, _ path: String...) {
        self.title = title
        self.path = path.isEmpty ? [title] : path
    }

    init(title: String, path: [String]) {
        self.title = title
        self.path = path
    }
}
