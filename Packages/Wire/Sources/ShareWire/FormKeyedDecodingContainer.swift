/// The fields of one form object. Fields the type does not ask for are ignored; a field sent
/// with an empty value (`scope=`) counts as absent for optionals (RFC 6749 §3.1).
struct FormKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: FormDecodingState
    let fields: FormFields
    /// The length of this object's coding path in `state.path`.
    let depth: Int

    var codingPath: [any CodingKey] { Array(state.path.prefix(depth)) }

    var allKeys: [Key] { fields.names.compactMap { Key(stringValue: $0) } }

    /// The error path of `key`, built only when an error needs it.
    private func path(_ key: Key) -> [String] { state.errorPath(key, under: depth) }

    @inline(__always)
    private func node(_ key: Key) -> FormNode? { fields.node(named: key.stringValue) }

    /// The node for `key` unless it is absent or empty.
    @inline(__always)
    private func presentNode(_ key: Key) -> FormNode? {
        guard let node = node(key), !node.isEmptyValue else { return nil }
        return node
    }

    func contains(_ key: Key) -> Bool { fields.index(of: key.stringValue) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { presentNode(key) == nil }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try FormScalar.bool(node(key), path: path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try FormScalar.string(node(key), path: path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try FormScalar.floatingPoint(node(key), as: type, path: path(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try FormScalar.floatingPoint(node(key), as: type, path: path(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try FormScalar.integer(node(key), as: type, path: path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try FormScalar.integer(node(key), as: type, path: path(key))
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try FormScalar.integer(node(key), as: type, path: path(key))
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try FormScalar.integer(node(key), as: type, path: path(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try state.decodeChild(type, from: node(key), key: key, under: depth)
    }

    // One lookup per optional field instead of the default contains + decodeNil + decode.

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let node = presentNode(key) else { return nil }
        return try FormScalar.string(node, path: path(key))
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let node = presentNode(key) else { return nil }
        return try FormScalar.bool(node, path: path(key))
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let node = presentNode(key) else { return nil }
        return try FormScalar.integer(node, as: type, path: path(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = presentNode(key) else { return nil }
        return try state.decodeChild(type, from: node, key: key, under: depth)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        state.enter(key, under: depth)
        return try state.keyedContainer(for: node(key), depth: depth + 1)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        state.enter(key, under: depth)
        return try state.unkeyedContainer(for: node(key), depth: depth + 1)
    }

    func superDecoder() throws -> any Decoder {
        state.positioned(on: fields.node(named: FormCodingKey.super.stringValue), key: FormCodingKey.super, under: depth)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        state.positioned(on: node(key), key: key, under: depth)
    }
}
