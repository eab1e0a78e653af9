import ShareCore

/// Splits an `application/x-www-form-urlencoded` body into ``FormFields``, working on the bytes.
///
/// Follows the WHATWG urlencoded parser — fields split at `&` (by ShareCore's `FormPairScanner`), empty fields skipped, name and
/// value split at the first `=`, `+` and `%20` both mean space — but is strict where the
/// standard is lenient: an invalid percent-escape or invalid UTF-8 is an error rather than being
/// kept or replaced. Names of the form `a[b][c]` nest, `a[]` appends, and nesting deeper than the
/// limit is an error.
struct FormParser {
    /// The deepest `a[b][c]` nesting accepted (the number of bracket pairs).
    let maximumDepth: Int

    init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
    }

    /// Parses a whole body.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(WireError) -> FormFields {
        let root = FormFields()
        var pairs = FormPairScanner(UnsafeRawBufferPointer(bytes))
        while let pair = pairs.next() {
            let name = try text(bytes, pair.name, needsDecoding: pair.nameNeedsDecoding, name: nil)
            let value = try text(bytes, pair.value, needsDecoding: pair.valueNeedsDecoding, name: name)
            if pair.nameHasBracket || (pair.nameNeedsDecoding && name.utf8.contains(0x5B)) {
                try add(value, nestedName: name, to: root)
            } else if !root.addValue(value, named: name) {
                throw Self.conflict(at: [name])
            }
        }
        return root
    }

    /// Decodes the bytes in `range` (a name, or the value of field `name`) into a string.
    ///
    /// Plain ASCII becomes a string directly. Otherwise `+` and `%XX` are decoded straight into
    /// the new string's storage; only when that produced non-ASCII bytes are they checked for
    /// valid UTF-8, before the string is made of them.
    private func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, needsDecoding: Bool, name: String?)
        throws(WireError) -> String
    {
        let slice = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range]))
        if !needsDecoding { return String(decoding: slice, as: UTF8.self) }
        var invalidEscape = false
        var invalidUTF8 = false
        let text = String(unsafeUninitializedCapacity: slice.count) { buffer in
            guard let decoded = PercentCoding.decode(slice, plus: .space, into: buffer) else {
                invalidEscape = true
                return 0
            }
            // The string initialiser would repair invalid UTF-8 with U+FFFD; check it first.
            if !decoded.isASCII, !PercentCoding.isValidUTF8(UnsafeBufferPointer(rebasing: buffer[..<decoded.count])) {
                invalidUTF8 = true
                return 0
            }
            return decoded.count
        }
        if invalidEscape {
            throw problem(in: name, "has an invalid percent-escape (\"%\" must be followed by two hex digits)")
        }
        if invalidUTF8 {
            throw problem(in: name, "is not valid UTF-8")
        }
        return text
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
