/// An array inside a form: scalars repeat the array's name (`tag=a&tag=b`), keyed elements are
/// named by position (`item[0][name]=…`).
struct FormUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let state: FormEncodingState
    /// The length of the array's serialized name in `state.name`.
    let nameLength: Int
    /// The length of the array's coding path in `state.path`.
    let depth: Int
    /// Why this array cannot be written (a top-level array, an array of arrays); `nil` when it can.
    let invalidReason: String?
    private(set) var count = 0

    init(state: FormEncodingState, nameLength: Int, depth: Int, invalidReason: String?) {
        self.state = state
        self.nameLength = nameLength
        self.depth = depth
        self.invalidReason = invalidReason
    }

    var codingPath: [any CodingKey] { Array(state.path.prefix(depth)) }

    /// Positions the state on the next element.
    private mutating func next() throws(WireError) {
        if let invalidReason {
            throw WireError(codingPath: codingPath.map(WireError.component), reason: invalidReason)
        }
        state.enterElement(count, nameLength: nameLength, depth: depth)
        count += 1
    }

    /// A `nil` element is written as an empty value, which keeps the positions of the elements
    /// after it and decodes back as `nil`.
    mutating func encodeNil() throws {
        try next()
        try state.writePlainField("")
    }

    mutating func encode(_ value: Bool) throws { try next(); try state.writePlainField(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { try next(); try state.writeField(value) }
    mutating func encode(_ value: Double) throws { try next(); try state.writeField(value.description) }
    mutating func encode(_ value: Float) throws { try next(); try state.writeField(value.description) }
    mutating func encode(_ value: Int) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: Int8) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: Int16) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: Int32) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: Int64) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: UInt) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: UInt8) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: UInt16) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: UInt32) throws { try next(); try state.writePlainField(String(value)) }
    mutating func encode(_ value: UInt64) throws { try next(); try state.writePlainField(String(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try next()
        try state.encodeChild(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        enterForNesting()
        return state.keyedContainer(nameLength: state.name.count, depth: state.path.count)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        enterForNesting()
        return state.unkeyedContainer(nameLength: state.name.count, depth: state.path.count)
    }

    mutating func superEncoder() -> any Encoder {
        enterForNesting()
        return state.positionedOnCurrentName()
    }

    /// Positions on the next element where the protocol does not let us throw.
    private mutating func enterForNesting() {
        do {
            try next()
        } catch {
            if state.deferredError == nil { state.deferredError = error }
        }
    }
}
