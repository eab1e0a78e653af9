/// The state of one ``FormEncoder`` run: the output bytes and the name and coding path of the
/// value being encoded. It is also the `Encoder` and the single-value container handed to values,
/// so that encoding a nested value allocates nothing.
///
/// Names and paths are stacks: a container remembers how long they were when it was made and
/// truncates back to that length before appending a child's key.
final class FormEncodingState: Encoder, SingleValueEncodingContainer {
    /// The body written so far.
    var output: [UInt8] = []
    /// The serialized name of the value being encoded, e.g. `data%5Battributes%5D`.
    var name: [UInt8] = []
    /// The coding path of the value being encoded.
    var path: [any CodingKey] = []
    /// When an array element is being encoded: the length of the array's own name. A scalar
    /// element is written under that name (`tag=a&tag=b`); a keyed element under `tag[i]`.
    var arrayNameLength: Int?
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
        arrayNameLength = nil
        return KeyedEncodingContainer(FormKeyedEncodingContainer<Key>(state: self, nameLength: name.count, depth: path.count))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = arrayNameLength != nil
        arrayNameLength = nil
        if path.isEmpty || nested {
            let reason = nested ? "arrays of arrays cannot be expressed in a form" : "a form body must be a set of named fields, not an array"
            return FormUnkeyedEncodingContainer(state: self, nameLength: name.count, depth: path.count, invalidReason: reason)
        }
        return FormUnkeyedEncodingContainer(state: self, nameLength: name.count, depth: path.count, invalidReason: nil)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: Writing

    /// Appends `name=value` for the value being encoded.
    @inline(__always)
    func writeField(_ value: String) throws(WireError) {
        try beginField()
        FormPercentEncoding.append(value, to: &output)
    }

    /// Appends `name=` for the value being encoded; the caller appends the value.
    @inline(__always)
    func beginField() throws(WireError) {
        guard !path.isEmpty else {
            throw WireError(reason: "a form body must be a set of named fields, not a single value")
        }
        if !output.isEmpty { output.append(UInt8(ascii: "&")) }
        if let arrayNameLength {
            output.append(contentsOf: name[..<arrayNameLength])
            self.arrayNameLength = nil
        } else {
            output.append(contentsOf: name)
        }
        output.append(UInt8(ascii: "="))
    }

    /// Appends an ASCII value that needs no escaping (a number or a boolean).
    @inline(__always)
    func writePlainField(_ value: String) throws(WireError) {
        try beginField()
        output.append(contentsOf: value.utf8)
    }

    /// Moves the name and path to `key`, a child of the container whose name and path had the
    /// given lengths.
    @inline(__always)
    func enter(_ key: some CodingKey, nameLength: Int, depth: Int) throws(WireError) {
        if name.count != nameLength { name.removeLast(name.count - nameLength) }
        if path.count != depth { path.removeLast(path.count - depth) }
        arrayNameLength = nil
        path.append(key)
        var keyText = key.stringValue
        if depth > 0, keyText.isEmpty {
            throw WireError(codingPath: path.map(WireError.component), reason: "a nested field name cannot be empty (\"[]\" means a list)")
        }
        let acceptable = keyText.withUTF8 { bytes in
            guard !bytes.contains(UInt8(ascii: "[")), !bytes.contains(UInt8(ascii: "]")) else { return false }
            if depth == 0 {
                FormPercentEncoding.append(bytes, to: &name)
            } else {
                name.append(contentsOf: [0x25, 0x35, 0x42])  // %5B
                FormPercentEncoding.append(bytes, to: &name)
                name.append(contentsOf: [0x25, 0x35, 0x44])  // %5D
            }
            return true
        }
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

    /// Encodes a value that is not a scalar by handing it this encoder, keeping the coding path
    /// on errors its own `encode(to:)` throws.
    @inline(__always)
    func encodeNested<T: Encodable>(_ value: T) throws {
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

    // MARK: SingleValueEncodingContainer

    func encodeNil() throws {}
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
    func encode<T: Encodable>(_ value: T) throws { try encodeNested(value) }
}
