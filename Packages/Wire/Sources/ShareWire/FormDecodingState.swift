/// The state of one ``FormDecoder`` run: the node being decoded and its coding path. It is also
/// the `Decoder` and the single-value container handed to values, so that decoding a nested value
/// allocates nothing.
///
/// The stored properties opt out of run-time exclusivity checks: one run is confined to one
/// call on one thread and no access to them overlaps another.
///
/// The coding path is a stack shared by every container: a container remembers its own depth and
/// truncates the path back to it before descending into a child. ``node`` and ``depth`` describe
/// the value whose `init(from:)` is running, and are restored when a child's decoding returns.
final class FormDecodingState: Decoder, SingleValueDecodingContainer {
    /// The value being decoded; `nil` for a field that is absent.
    @exclusivity(unchecked) var node: FormNode?
    /// The length of `node`'s coding path in ``path``.
    @exclusivity(unchecked) var depth = 0
    /// The coding path of the most recently entered value (at least `depth` long).
    @exclusivity(unchecked) var path: [any CodingKey] = []

    var codingPath: [any CodingKey] { Array(path.prefix(depth)) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(root: FormFields) {
        node = .fields(root)
        path.reserveCapacity(8)
    }

    /// `node`'s coding path as ``WireError`` components.
    var errorPath: [String] { path.prefix(depth).map(WireError.component) }

    /// The coding path of `key` under a container at `depth`, as ``WireError`` components.
    func errorPath(_ key: some CodingKey, under depth: Int) -> [String] {
        path.prefix(depth).map(WireError.component) + [WireError.component(key)]
    }

    /// Moves the path to `key`, a child of the container at `depth`.
    @inline(__always)
    func enter(_ key: some CodingKey, under depth: Int) {
        if path.count != depth { path.removeLast(path.count - depth) }
        path.append(key)
    }

    /// Decodes `T` from `child`, found at `key` of the container at `parentDepth`, then returns to
    /// the value that was being decoded.
    @inline(__always)
    func decodeChild<T: Decodable>(_ type: T.Type, from child: FormNode?, key: some CodingKey, under parentDepth: Int) throws -> T {
        let savedNode = node
        let savedDepth = depth
        enter(key, under: parentDepth)
        node = child
        depth = parentDepth + 1
        defer {
            node = savedNode
            depth = savedDepth
        }
        return try decodeValue(type)
    }

    /// Decodes `T` from the current node, keeping the coding path on errors that `T`'s own
    /// `init(from:)` throws.
    @inline(__always)
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try T(from: self)
        } catch let error as WireError {
            throw error
        } catch let error as DecodingError {
            throw error
        } catch {
            throw WireError(codingPath: errorPath, reason: "rejected: \(WireError.typeName(Swift.type(of: error)))")
        }
    }

    /// This decoder, set to decode `child` at `key` of the container at `parentDepth`: what
    /// `superDecoder()` hands out.
    func positioned(on child: FormNode?, key: some CodingKey, under parentDepth: Int) -> FormDecodingState {
        enter(key, under: parentDepth)
        node = child
        depth = parentDepth + 1
        return self
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try keyedContainer(for: node, depth: depth)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try unkeyedContainer(for: node, depth: depth)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The fields of `node`, whose coding path is the first `depth` keys of ``path``.
    func keyedContainer<Key: CodingKey>(for node: FormNode?, depth: Int) throws -> KeyedDecodingContainer<Key> {
        switch node {
        case .fields(let fields):
            return KeyedDecodingContainer(FormKeyedDecodingContainer<Key>(state: self, fields: fields, depth: depth))
        case nil:
            // An object whose fields are all absent encodes to nothing; it decodes from nothing, and
            // a required field inside it is reported as missing by name.
            return KeyedDecodingContainer(FormKeyedDecodingContainer<Key>(state: self, fields: FormFields(), depth: depth))
        case .value, .values:
            throw WireError(codingPath: path.prefix(depth).map(WireError.component), reason: "expected nested fields, found a value")
        }
    }

    /// The elements of `node`, whose coding path is the first `depth` keys of ``path``.
    func unkeyedContainer(for node: FormNode?, depth: Int) throws -> any UnkeyedDecodingContainer {
        let elements: [FormNode]
        switch node {
        case nil:
            elements = []
        case .value(let text):
            elements = [.value(text)]
        case .values(let values):
            elements = values.map(FormNode.value)
        case .fields(let fields):
            var positioned: [(position: Int, node: FormNode)] = []
            positioned.reserveCapacity(fields.count)
            for (name, node) in zip(fields.names, fields.nodes) {
                guard let position = Int(name), position >= 0 else {
                    throw WireError(codingPath: path.prefix(depth).map(WireError.component), reason: "expected a list, found named fields")
                }
                positioned.append((position, node))
            }
            positioned.sort { $0.position < $1.position }
            elements = positioned.map(\.node)
        }
        return FormUnkeyedDecodingContainer(state: self, elements: elements, depth: depth)
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        guard let node else { return true }
        return node.isEmptyValue
    }

    func decode(_ type: Bool.Type) throws -> Bool { try FormScalar.bool(node, path: errorPath) }
    func decode(_ type: String.Type) throws -> String { try FormScalar.string(node, path: errorPath) }
    func decode(_ type: Double.Type) throws -> Double { try FormScalar.floatingPoint(node, as: type, path: errorPath) }
    func decode(_ type: Float.Type) throws -> Float { try FormScalar.floatingPoint(node, as: type, path: errorPath) }
    func decode(_ type: Int.Type) throws -> Int { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try FormScalar.integer(node, as: type, path: errorPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}
