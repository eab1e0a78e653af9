/// Splits an `application/x-www-form-urlencoded` body into ``FormFields``, working on the bytes.
///
/// Follows the WHATWG urlencoded parser — fields split at `&`, empty fields skipped, name and
/// value split at the first `=`, `+` and `%20` both mean space — but is strict where the
/// standard is lenient: an invalid percent-escape or invalid UTF-8 is an error rather than being
/// kept or replaced. Names of the form `a[b][c]` nest, `a[]` appends, and nesting deeper than the
/// limit is an error.
struct FormParser {
    /// The deepest `a[b][c]` nesting accepted (the number of bracket pairs).
    let maximumDepth: Int
    /// Reused buffer for percent-decoding.
    private var scratch: [UInt8] = []

    init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
    }

    /// Parses a whole body.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(WireError) -> FormFields {
        let root = FormFields()
        let end = bytes.count
        var start = 0
        while start < end {
            var index = start
            var equals = -1
            var nameNeedsDecoding = false
            var valueNeedsDecoding = false
            var nameHasBracket = false
            while index < end {
                let byte = bytes[index]
                if byte == 0x26 { break }  // &
                if equals < 0 {
                    if byte == 0x3D {  // =
                        equals = index
                    } else if byte == 0x25 || byte == 0x2B || byte >= 0x80 {  // % + non-ASCII
                        nameNeedsDecoding = true
                    } else if byte == 0x5B {  // [
                        nameHasBracket = true
                    }
                } else if byte == 0x25 || byte == 0x2B || byte >= 0x80 {
                    valueNeedsDecoding = true
                }
                index += 1
            }
            if index > start {
                let nameEnd = equals < 0 ? index : equals
                let name = try text(bytes, start..<nameEnd, needsDecoding: nameNeedsDecoding, name: nil)
                let value =
                    equals < 0 ? "" : try text(bytes, (equals + 1)..<index, needsDecoding: valueNeedsDecoding, name: name)
                if nameHasBracket || (nameNeedsDecoding && name.utf8.contains(0x5B)) {
                    try add(value, nestedName: name, to: root)
                } else if !root.addValue(value, named: name) {
                    throw Self.conflict(at: [name])
                }
            }
            start = index + 1
        }
        return root
    }

    /// Decodes the bytes in `range` (a name, or the value of field `name`) into a string.
    ///
    /// Plain ASCII becomes a string directly. Otherwise `+` and `%XX` are decoded straight into
    /// the new string's storage; only when that produced non-ASCII bytes is the result checked
    /// for valid UTF-8, the slow way.
    private mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, needsDecoding: Bool, name: String?)
        throws(WireError) -> String
    {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        if !needsDecoding { return String(decoding: slice, as: UTF8.self) }
        var invalidEscape = false
        var sawNonASCII = false
        let text = String(unsafeUninitializedCapacity: slice.count) { buffer in
            let count = slice.count
            var index = 0
            var written = 0
            while index < count {
                let byte = slice[index]
                if byte == 0x2B {
                    buffer[written] = 0x20
                } else if byte == 0x25 {
                    guard index + 2 < count,
                        let high = FormPercentEncoding.hexValue(slice[index + 1]),
                        let low = FormPercentEncoding.hexValue(slice[index + 2])
                    else {
                        invalidEscape = true
                        return 0
                    }
                    let decoded = high << 4 | low
                    if decoded >= 0x80 { sawNonASCII = true }
                    buffer[written] = decoded
                    index += 2
                } else {
                    if byte >= 0x80 { sawNonASCII = true }
                    buffer[written] = byte
                }
                index += 1
                written += 1
            }
            return written
        }
        if invalidEscape {
            throw problem(in: name, "has an invalid percent-escape (\"%\" must be followed by two hex digits)")
        }
        // The string initialiser repairs invalid UTF-8 with U+FFFD; check the decoded bytes.
        if sawNonASCII, !isValidUTF8(decoding: slice) {
            throw problem(in: name, "is not valid UTF-8")
        }
        return text
    }

    /// Whether the percent-decoded form of `slice` (known to have valid escapes) is valid UTF-8.
    private mutating func isValidUTF8(decoding slice: UnsafeBufferPointer<UInt8>) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        while index < slice.count {
            let byte = slice[index]
            if byte == 0x25, let high = FormPercentEncoding.hexValue(slice[index + 1]),
                let low = FormPercentEncoding.hexValue(slice[index + 2])
            {
                scratch.append(high << 4 | low)
                index += 3
            } else {
                scratch.append(byte == 0x2B ? 0x20 : byte)
                index += 1
            }
        }
        var iterator = scratch.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// An error about a field's value (`name` given) or about a field name (`name` nil).
    private func problem(in name: String?, _ what: String) -> WireError {
        guard let name else { return WireError(reason: "a field name " + what) }
        let path = (try? components(of: name).path) ?? [name]
        return WireError(codingPath: path, reason: "the value " + what)
    }

    /// Adds `value` under a name with brackets, e.g. `data[attributes][source-id]` or `scope[]`.
    private func add(_ value: String, nestedName name: String, to root: FormFields) throws(WireError) {
        let path = try components(of: name).path
        var fields = root
        for depth in 0..<(path.count - 1) {
            guard let nested = fields.fields(named: path[depth]) else {
                throw Self.conflict(at: Array(path[...depth]))
            }
            fields = nested
        }
        guard fields.addValue(value, named: path[path.count - 1]) else { throw Self.conflict(at: path) }
    }

    /// Splits `a[b][c]` into `["a", "b", "c"]`; a trailing `[]` (append) adds no component.
    private func components(of name: String) throws(WireError) -> (path: [String], appends: Bool) {
        let utf8 = Array(name.utf8)
        guard let open = utf8.firstIndex(of: 0x5B) else { return ([name], false) }
        guard open > 0 else { throw WireError(reason: "a field name cannot start with \"[\"") }
        var path = [String(decoding: utf8[..<open], as: UTF8.self)]
        var appends = false
        var index = open
        while index < utf8.count {
            guard utf8[index] == 0x5B else {
                throw WireError(codingPath: path, reason: "a field name has text after \"]\"")
            }
            guard !appends else {
                throw WireError(codingPath: path, reason: "\"[]\" may only end a field name")
            }
            guard path.count <= maximumDepth else {
                throw WireError(codingPath: Array(path.prefix(1)), reason: "a field name nests more than \(maximumDepth) levels deep")
            }
            var close = index + 1
            while close < utf8.count, utf8[close] != 0x5D {
                guard utf8[close] != 0x5B else {
                    throw WireError(codingPath: path, reason: "a field name has \"[\" inside brackets")
                }
                close += 1
            }
            guard close < utf8.count else {
                throw WireError(codingPath: path, reason: "a field name has an unclosed \"[\"")
            }
            if close == index + 1 {
                appends = true
            } else {
                path.append(String(decoding: utf8[(index + 1)..<close], as: UTF8.self))
            }
            index = close + 1
        }
        return (path, appends)
    }

    private static func conflict(at path: [String]) -> WireError {
        WireError(codingPath: path, reason: "given both as a value and as nested fields")
    }
}
