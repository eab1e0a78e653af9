/// The elements of a list in a form: the values of a repeated field, or nested fields named by
/// position (`item[0]`, `item[1]`…) in the order of their positions.
struct FormUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let state: FormDecodingState
    let elements: [FormNode]
    /// The length of the list's coding path in `state.path`.
    let depth: Int
    private(set) var currentIndex = 0

    init(state: FormDecodingState, elements: [FormNode], depth: Int) {
        self.state = state
        self.elements = elements
        self.depth = depth
    }

    var codingPath: [any CodingKey] { Array(state.path.prefix(depth)) }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element, with the state positioned on it.
    private mutating func next() throws(WireError) -> FormNode {
        let index = currentIndex
        guard index < elements.count else {
            throw WireError(
                codingPath: state.path.prefix(depth).map(WireError.component) + [String(index)],
                reason: "expected more elements, found \(elements.count)"
            )
        }
        currentIndex += 1
        state.enter(elements[index], key: FormCodingKey(index: index), depth: depth)
        return elements[index]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isEmptyValue else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try FormScalar.bool(next(), path: state.errorPath) }
    mutating func decode(_ type: String.Type) throws -> String { try FormScalar.string(next(), path: state.errorPath) }
    mutating func decode(_ type: Double.Type) throws -> Double { try FormScalar.floatingPoint(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: Float.Type) throws -> Float { try FormScalar.floatingPoint(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: Int.Type) throws -> Int { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try FormScalar.integer(next(), as: type, path: state.errorPath) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try FormScalar.integer(next(), as: type, path: state.errorPath) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        _ = try next()
        return try state.decodeNested(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        _ = try next()
        return try state.container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        _ = try next()
        throw WireError(codingPath: state.errorPath, reason: "lists of lists cannot be expressed in a form")
    }

    mutating func superDecoder() throws -> any Decoder {
        _ = try next()
        return state
    }
}
