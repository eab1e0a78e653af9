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

    /// The error path of element `index`.
    private func path(_ index: Int) -> [String] { state.errorPath(FormCodingKey(index: index), under: depth) }

    /// The next element and its position.
    private mutating func next() throws(WireError) -> (node: FormNode, index: Int) {
        let index = currentIndex
        guard index < elements.count else {
            throw WireError(codingPath: path(index), reason: "expected more elements, found \(elements.count)")
        }
        currentIndex += 1
        return (elements[index], index)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isEmptyValue else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let (node, index) = try next()
        return try FormScalar.bool(node, path: path(index))
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let (node, index) = try next()
        return try FormScalar.string(node, path: path(index))
    }

    mutating func decode(_ type: Double.Type) throws -> Double { try floatingPoint(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try floatingPoint(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(WireError) -> T {
        let (node, index) = try next()
        return try FormScalar.integer(node, as: type, path: path(index))
    }

    private mutating func floatingPoint<T: LosslessStringConvertible & BinaryFloatingPoint>(_ type: T.Type) throws(WireError) -> T {
        let (node, index) = try next()
        return try FormScalar.floatingPoint(node, as: type, path: path(index))
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, index) = try next()
        return try state.decodeChild(type, from: node, key: FormCodingKey(index: index), under: depth)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, index) = try next()
        state.enter(FormCodingKey(index: index), under: depth)
        return try state.keyedContainer(for: node, depth: depth + 1)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (_, index) = try next()
        throw WireError(codingPath: path(index), reason: "lists of lists cannot be expressed in a form")
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, index) = try next()
        return state.positioned(on: node, key: FormCodingKey(index: index), under: depth)
    }
}
