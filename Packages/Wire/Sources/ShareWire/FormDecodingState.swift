/// The state of one ``FormDecoder`` run: the node being decoded and its coding path. It is also
/// the `Decoder` and the single-value container handed to values, so that decoding a nested value
/// allocates nothing.
///
/// A container remembers the length of the coding path when it was made and truncates back to
/// it before descending into a child, so the path is a stack shared by every container.
final class FormDecodingState: Decoder, SingleValueDecodingContainer {
    /// The value being decoded; `nil` for a field that is absent.
    var node: FormNode?
    /// The coding path of `node`.
    var path: [any CodingKey] = []

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(root: FormFields) {
        node = .fields(root)
        path.reserveCapacity(8)
    }

    /// The current coding path as ``WireError`` components.
    var errorPath: [String] { path.map(WireError.component) }

    /// Moves to `node` at `key`, a child of the container whose path had length `depth`.
    @inline(__always)
    func enter(_ node: FormNode?, key: some CodingKey, depth: Int) {
        if path.count != depth { path.removeLast(path.count - depth) }
        path.append(key)
        self.node = node
    }

    /// Decodes `T` from the current node, keeping the coding path on errors that `T`'s own
    /// `init(from:)` throws.
    @inline(__always)
    func decodeNested<T: Decodable>(_ type: T.Type) throws -> T {
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

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node {
        case .fields(let fields):
            return KeyedDecodingContainer(FormKeyedDecodingContainer<Key>(state: self, fields: fields, depth: path.count))
        case nil:
            // An object whose fields are all absent encodes to nothing; it decodes from nothing, and
            // a required field inside it is reported as missing by name.
            return KeyedDecodingContainer(FormKeyedDecodingContainer<Key>(state: self, fields: FormFields(), depth: path.count))
        case .value, .values:
            throw WireError(codingPath: errorPath, reason: "expected nested fields, found a value")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
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
                    throw WireError(codingPath: errorPath, reason: "expected a list, found named fields")
                }
                positioned.append((position, node))
            }
            positioned.sort { $0.position < $1.position }
            elements = positioned.map(\.node)
        }
        return FormUnkeyedDecodingContainer(state: self, elements: elements, depth: path.count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

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
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeNested(type) }
}
