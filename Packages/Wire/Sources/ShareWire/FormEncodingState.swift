import ShareCore
/// The state of one ``FormEncoder`` run: the output bytes and the name and coding path of the
/// value being encoded. It is also the `Encoder` and the single-value container handed to values,
/// so that encoding a nested value allocates nothing.
///
/// The stored properties opt out of run-time exclusivity checks: one run is confined to one
/// call on one thread and no access to them overlaps another, and the checks cost more than the
/// work in this hot path.
///
/// Names and paths are stacks: a container remembers how long they were when it was made and
/// truncates back to that length before appending a child's key.
final class FormEncodingState: Encoder, SingleValueEncodingContainer {
    /// The body written so far.
    @exclusivity(unchecked) var output: [UInt8] = []
    /// The serialized name of the value being encoded, e.g. `data%5Battributes%5D`.
    @exclusivity(unchecked) var name: [UInt8] = []
    /// The coding path of the value being encoded.
    @exclusivity(unchecked) var path: [any CodingKey] = []
    /// When an array element is being encoded: the length of the array's own name. A scalar
    /// element is written under that name (`tag=a&tag=b`); a keyed element under `tag[i]`.
    @exclusivity(unchecked) var arrayNameLength: Int?
    /// The lengths of `name` and `path` for the value whose `encode(to:)` is running: where a
    /// container it asks for starts, however many children were written before it asked.
    @exclusivity(unchecked) var valueNameLength = 0
    @exclusivity(unchecked) var valueDepth = 0
    /// An error found where the `Encoder` protocol cannot throw (making a container).
    var deferredError: WireError?

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() {
        output.reserveCapacity(256)
        name.reserveCapacity(64)
    }

    // MARK: Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        keyedContainer(nameLength: valueNameLength, depth: valueDepth)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        unkeyedContainer(nameLength: valueNameLength, depth: valueDepth)
    }

    /// An object whose name and path have the given lengths.
    func keyedContainer<Key: CodingKey>(nameLength: Int, depth: Int) -> KeyedEncodingContainer<Key> {
        arrayNameLength = nil
        return KeyedEncodingContainer(FormKeyedEncodingContainer<Key>(state: self, nameLength: nameLength, depth: depth))
    }

    /// A list whose name and path have the given lengths.
    func unkeyedContainer(nameLength: Int, depth: Int) -> any UnkeyedEncodingContainer {
        let nested = arrayNameLength != nil
        arrayNameLength = nil
        let invalidReason: String? =
            nested
            ? "arrays of arrays cannot be expressed in a form"
            : depth == 0 ? "a form body must be a set of named fields, not an array" : nil
        return FormUnkeyedEncodingContainer(state: self, nameLength: nameLength, depth: depth, invalidReason: invalidReason)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: Writing

    /// Appends `name=value` for the value being encoded, percent-encoding the value.
    @inline(__always)
    func writeField(_ value: String) throws(WireError) {
        try writeField(value, escaping: true)
    }

    /// Appends `name=value` for an ASCII value that needs no escaping (a number or a boolean).
    @inline(__always)
    func writePlainField(_ value: String) throws(WireError) {
        try writeField(value, escaping: false)
    }

    /// Appends `name=value`. The output is moved into a local for the duration, so that the many
    /// small appends are not each an access to a class property.
    @inline(__always)
    private func writeField(_ value: String, escaping: Bool) throws(WireError) {
        guard !path.isEmpty else {
            throw WireError(reason: "a form body must be a set of named fields, not a single value")
        }
        var out: [UInt8] = []
        swap(&out, &output)
        if !out.isEmpty { out.append(UInt8(ascii: "&")) }
        if let arrayNameLength {
            out.append(contentsOf: name[..<arrayNameLength])
            self.arrayNameLength = nil
        } else {
            out.append(contentsOf: name)
        }
        out.append(UInt8(ascii: "="))
        if escaping {
            PercentCoding.appendFormEncoded(value, to: &out)
        } else {
            out.append(contentsOf: value.utf8)
        }
        swap(&out, &output)
    }

    /// Moves the name and path to `key`, a child of the container whose name and path had the
    /// given lengths.
    @inline(__always)
    func enter(_ key: some CodingKey, nameLength: Int, depth: Int) throws(WireError) {
        if path.count != depth { path.removeLast(path.count - depth) }
        path.append(key)
        arrayNameLength = nil
        var keyText = key.stringValue
        if depth > 0, keyText.isEmpty {
            throw WireError(codingPath: path.map(WireError.component), reason: "a nested field name cannot be empty (\"[]\" means a list)")
        }
        var newName: [UInt8] = []
        swap(&newName, &name)
        if newName.count != nameLength { newName.removeLast(newName.count - nameLength) }
        let acceptable = keyText.withUTF8 { bytes in
            if depth == 0 {
                PercentCoding.appendFormEncoded(bytes, to: &newName)
            } else {
                newName.append(0x25)  // %5B
                newName.append(0x35)
                newName.append(0x42)
                PercentCoding.appendFormEncoded(bytes, to: &newName)
                newName.append(0x25)  // %5D
                newName.append(0x35)
                newName.append(0x44)
            }
            return !bytes.contains(UInt8(ascii: "[")) && !bytes.contains(UInt8(ascii: "]"))
        }
        swap(&newName, &name)
        guard acceptable else {
            throw WireError(codingPath: path.map(WireError.component), reason: "a field name cannot contain \"[\" or \"]\"")
        }
    }

    /// Moves the name and path to element `index` of the array whose name and path had the given
    /// lengths.
    @inline(__always)
    func enterElement(_ index: Int, nameLength: Int, depth: Int) {
        if name.count != nameLength { name.removeLast(name.count - nameLength) }
        if path.count != depth { path.removeLast(path.count - depth) }
        path.append(FormCodingKey(index: index))
        name.append(contentsOf: [0x25, 0x35, 0x42])  // %5B
        name.append(contentsOf: String(index).utf8)
        name.append(contentsOf: [0x25, 0x35, 0x44])  // %5D
        arrayNameLength = nameLength
    }

    /// Encodes the child just entered (a field or an element) by handing it this encoder.
    @inline(__always)
    func encodeChild<T: Encodable>(_ value: T) throws {
        let savedNameLength = valueNameLength
        let savedDepth = valueDepth
        valueNameLength = name.count
        valueDepth = path.count
        defer {
            valueNameLength = savedNameLength
            valueDepth = savedDepth
        }
        try encodeValue(value)
    }

    /// Encodes a value that is not a scalar by handing it this encoder, keeping the coding path
    /// on errors its own `encode(to:)` throws.
    @inline(__always)
    func encodeValue<T: Encodable>(_ value: T) throws {
        do {
            try value.encode(to: self)
        } catch let error as WireError {
            throw error
        } catch let error as EncodingError {
            throw error
        } catch {
            throw WireError(codingPath: path.map(WireError.component), reason: "rejected: \(WireError.typeName(type(of: error)))")
        }
    }

    /// This encoder, set to encode the value whose name was just entered: what `superEncoder()`
    /// hands out.
    func positionedOnCurrentName() -> FormEncodingState {
        valueNameLength = name.count
        valueDepth = path.count
        return self
    }

    // MARK: SingleValueEncodingContainer

    /// A `nil` field is left out; a `nil` list element is an empty value, keeping later positions.
    func encodeNil() throws {
        if arrayNameLength != nil { try writePlainField("") }
    }
    func encode(_ value: Bool) throws { try writePlainField(value ? "true" : "false") }
    func encode(_ value: String) throws { try writeField(value) }
    func encode(_ value: Double) throws { try writeField(value.description) }
    func encode(_ value: Float) throws { try writeField(value.description) }
    func encode(_ value: Int) throws { try writePlainField(String(value)) }
    func encode(_ value: Int8) throws { try writePlainField(String(value)) }
    func encode(_ value: Int16) throws { try writePlainField(String(value)) }
    func encode(_ value: Int32) throws { try writePlainField(String(value)) }
    func encode(_ value: Int64) throws { try writePlainField(String(value)) }
    func encode(_ value: UInt) throws { try writePlainField(String(value)) }
    func encode(_ value: UInt8) throws { try writePlainField(String(value)) }
    func encode(_ value: UInt16) throws { try writePlainField(String(value)) }
    func encode(_ value: UInt32) throws { try writePlainField(String(value)) }
    func encode(_ value: UInt64) throws { try writePlainField(String(value)) }
    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }
}
