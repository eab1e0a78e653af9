/// The fields of one form object: at the top level `name=value`, nested `parent[name]=value`.
struct FormKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: FormEncodingState
    /// The length of this object's serialized name in `state.name`.
    let nameLength: Int
    /// The length of this object's coding path in `state.path`.
    let depth: Int

    var codingPath: [any CodingKey] { Array(state.path.prefix(depth)) }

    @inline(__always)
    private func write(_ value: String, forKey key: Key) throws {
        try state.enter(key, nameLength: nameLength, depth: depth)
        try state.writeField(value)
    }

    @inline(__always)
    private func writePlain(_ value: String, forKey key: Key) throws {
        try state.enter(key, nameLength: nameLength, depth: depth)
        try state.writePlainField(value)
    }

    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode(_ value: Bool, forKey key: Key) throws { try writePlain(value ? "true" : "false", forKey: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try write(value, forKey: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try write(value.description, forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try write(value.description, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try writePlain(String(value), forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try writePlain(String(value), forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try state.enter(key, nameLength: nameLength, depth: depth)
        try state.encodeChild(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        enterForNesting(key)
        return state.keyedContainer(nameLength: state.name.count, depth: state.path.count)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        enterForNesting(key)
        return state.unkeyedContainer(nameLength: state.name.count, depth: state.path.count)
    }

    mutating func superEncoder() -> any Encoder {
        enterForNesting(FormCodingKey.super)
        return state.positionedOnCurrentName()
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        enterForNesting(key)
        return state.positionedOnCurrentName()
    }

    /// Enters `key` where the protocol does not let us throw; a bad name is reported at the end.
    private func enterForNesting(_ key: some CodingKey) {
        do {
            try state.enter(key, nameLength: nameLength, depth: depth)
        } catch {
            if state.deferredError == nil { state.deferredError = error }
        }
    }
}
