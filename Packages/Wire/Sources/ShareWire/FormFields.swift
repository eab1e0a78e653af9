/// The fields of a parsed form object, in the order they first appeared.
///
/// A reference type so that the parser can add to nested objects in place. Lookup starts where
/// the previous one succeeded — a type usually asks for its fields in the order a client sends
/// them — and scans linearly for the handful of fields a request has; past a dozen fields a
/// dictionary takes over, so a body with thousands of distinct names still decodes in linear time.
/// Its properties opt out of run-time exclusivity checks: a form is parsed and read by one call
/// on one thread, and no access overlaps another.
final class FormFields {
    @exclusivity(unchecked) private(set) var names: [String] = []
    @exclusivity(unchecked) private(set) var nodes: [FormNode] = []
    @exclusivity(unchecked) private var lookup: [String: Int]?
    /// Where the next lookup starts.
    @exclusivity(unchecked) private var cursor = 0

    private static let lookupThreshold = 12

    init() {
        names.reserveCapacity(Self.lookupThreshold)
        nodes.reserveCapacity(Self.lookupThreshold)
    }

    var count: Int { names.count }

    /// The position of `name`, or `nil`.
    @inline(__always)
    func index(of name: String) -> Int? {
        if let lookup { return lookup[name] }
        let count = names.count
        var index = cursor
        for _ in 0..<count {
            if index >= count { index = 0 }
            if names[index] == name {
                cursor = index + 1
                return index
            }
            index += 1
        }
        return nil
    }

    /// The node named `name`, or `nil`.
    @inline(__always)
    func node(named name: String) -> FormNode? {
        guard let index = index(of: name) else { return nil }
        return nodes[index]
    }

    /// Adds a field that is not present yet.
    func append(_ name: String, _ node: FormNode) {
        names.append(name)
        nodes.append(node)
        if lookup != nil {
            lookup![name] = names.count - 1
        } else if names.count > Self.lookupThreshold {
            var table = [String: Int](minimumCapacity: names.count * 2)
            for (index, name) in names.enumerated() { table[name] = index }
            lookup = table
        }
    }

    /// Adds `value` under `name`: a new field, or one more value of a repeated field. Fails when
    /// `name` already holds nested fields.
    func addValue(_ value: String, named name: String) -> Bool {
        guard let index = index(of: name) else {
            append(name, .value(value))
            return true
        }
        switch nodes[index] {
        case .value(let first):
            nodes[index] = .values([first, value])
        case .values(var values):
            nodes[index] = .value("")
            values.append(value)
            nodes[index] = .values(values)
        case .fields:
            return false
        }
        return true
    }

    /// The nested fields under `name`, made when absent; `nil` when `name` holds values.
    func fields(named name: String) -> FormFields? {
        guard let index = index(of: name) else {
            let fields = FormFields()
            append(name, .fields(fields))
            return fields
        }
        if case .fields(let fields) = nodes[index] { return fields }
        return nil
    }
}
