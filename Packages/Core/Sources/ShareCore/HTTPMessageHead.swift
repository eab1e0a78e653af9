import NIOCore

/// An HTTP/1.1 message head as it arrived on the wire: its bytes, and where each field's name and
/// value lie in them. Nothing is copied into strings until a caller asks for one value.
///
/// Built by ``HTTPHeadParser``, which has validated every name (a token) and value (no CR, LF,
/// NUL or other control bytes but tab) by then.
public struct HTTPMessageHead: Sendable {
    /// Where one field lies in ``bytes`` (offsets from its reader index; the value without the
    /// surrounding whitespace).
    public struct Field: Sendable {
        /// Where the name starts.
        public let nameStart: Int32
        /// Where the name ends (at the colon).
        public let nameEnd: Int32
        /// Where the value starts, after leading whitespace.
        public let valueStart: Int32
        /// Where the value ends, before trailing whitespace.
        public let valueEnd: Int32

        @inlinable
        init(nameStart: Int32, nameEnd: Int32, valueStart: Int32, valueEnd: Int32) {
            self.nameStart = nameStart
            self.nameEnd = nameEnd
            self.valueStart = valueStart
            self.valueEnd = valueEnd
        }
    }

    /// The whole head, start line to the blank line.
    public let bytes: ByteBuffer
    /// The fields, in the order they arrived.
    public let fields: [Field]

    @inlinable
    init(bytes: ByteBuffer, fields: [Field]) {
        self.bytes = bytes
        self.fields = fields
    }

    /// Whether a field named `lowercaseName` is present (names compare case-insensitively).
    @inlinable
    public func contains(_ lowercaseName: StaticString) -> Bool {
        firstIndex(of: lowercaseName) != nil
    }

    /// How many fields are named `lowercaseName`.
    @inlinable
    public func count(of lowercaseName: StaticString) -> Int {
        withUnsafeBytes { raw in fields.reduce(0) { $0 + (Self.name(of: $1, in: raw, equals: lowercaseName) ? 1 : 0) } }
    }

    /// The value of the field named `lowercaseName`; several occurrences are joined with `, `, as
    /// HTTP defines a repeated field (and as `HTTPFields` reads one).
    @inlinable
    public func value(_ lowercaseName: StaticString) -> String? {
        withUnsafeBytes { raw in
            var joined: String?
            for field in fields where Self.name(of: field, in: raw, equals: lowercaseName) {
                let value = String(decoding: Self.slice(raw, field.valueStart, field.valueEnd), as: UTF8.self)
                joined = joined.map { $0 + ", " + value } ?? value
            }
            return joined
        }
    }

    /// The value of the field at `index`, as a string.
    @inlinable
    public func value(at index: Int) -> String {
        withUnsafeBytes { raw in String(decoding: Self.slice(raw, fields[index].valueStart, fields[index].valueEnd), as: UTF8.self) }
    }

    /// The name of the field at `index`, as it was written.
    @inlinable
    public func name(at index: Int) -> String {
        withUnsafeBytes { raw in String(decoding: Self.slice(raw, fields[index].nameStart, fields[index].nameEnd), as: UTF8.self) }
    }

    /// Whether the value of any field named `lowercaseName` lists `lowercaseToken` (a
    /// comma-separated list, compared case-insensitively), as `Connection: keep-alive, Upgrade`
    /// lists `keep-alive`.
    @inlinable
    public func listContains(_ lowercaseName: StaticString, token lowercaseToken: StaticString) -> Bool {
        withUnsafeBytes { raw in
            for field in fields where Self.name(of: field, in: raw, equals: lowercaseName) {
                var found = false
                Self.forEachListElement(Self.slice(raw, field.valueStart, field.valueEnd)) { element in
                    if ASCIICaseInsensitive.equals(element, lowercaseToken) { found = true }
                }
                if found { return true }
            }
            return false
        }
    }

    /// Calls `body` with each element of a comma-separated list, without surrounding whitespace.
    @inlinable
    public static func forEachListElement(_ list: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        for index in 0...list.count where index == list.count || list[index] == UInt8(ascii: ",") {
            body(ASCIICaseInsensitive.trimmed(UnsafeRawBufferPointer(rebasing: list[start..<index])))
            start = index + 1
        }
    }

    /// Calls `body` with the head's bytes; field offsets index into them.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeReadableBytes(body)
    }

    /// The index in ``fields`` of the first field named `lowercaseName`.
    @inlinable
    public func firstIndex(of lowercaseName: StaticString) -> Int? {
        withUnsafeBytes { raw in fields.firstIndex { Self.name(of: $0, in: raw, equals: lowercaseName) } }
    }

    /// The bytes from `start` to `end` of a head's bytes.
    @inlinable
    public static func slice(_ raw: UnsafeRawBufferPointer, _ start: Int32, _ end: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[Int(start)..<Int(end)])
    }

    /// Whether `field`'s name is `lowercaseName`, compared case-insensitively.
    @inlinable
    public static func name(of field: Field, in raw: UnsafeRawBufferPointer, equals lowercaseName: StaticString) -> Bool {
        ASCIICaseInsensitive.equals(slice(raw, field.nameStart, field.nameEnd), lowercaseName)
    }
}
