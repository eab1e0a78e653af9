import NIOCore

/// Writes one flat JSON object straight into a `ByteBuffer`, byte for byte as ShareWire's
/// `WireJSON.encode` (Foundation's `JSONEncoder` with sorted keys and unescaped slashes) would
/// write it: the same escapes, absent values left out, keys in the order given — which callers
/// keep sorted.
///
/// Hand-written because no package on the mirror writes JSON without going through `Encoder`'s
/// dynamic containers, and on the sandbox's busiest answers (`/oauth/introspect`,
/// `/oauth/token`, `/oauth/revoke`, OAuth errors) `JSONEncoder` was the largest single cost of a
/// request (`scripts/bench-sandbox`, docs/benchmarks.md). It handles only what those answers
/// hold: strings, integers and booleans at the top level. Tests compare its output with
/// `WireJSON.encode` for the same values.
struct JSONObjectWriter {
    private(set) var buffer: ByteBuffer
    private var isEmpty = true
    #if DEBUG
    private var previousKey = ""
    #endif

    init(capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    /// `"key":"value"`, escaped as JSON requires; nothing when `value` is `nil`.
    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        writeKey(key)
        writeString(value)
    }

    /// `"key":123`; nothing when `value` is `nil`.
    mutating func field(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        writeKey(key)
        buffer.writeString(String(value))
    }

    /// `"key":true` or `"key":false`.
    mutating func field(_ key: StaticString, _ value: Bool) {
        writeKey(key)
        buffer.writeStaticString(value ? "true" : "false")
    }

    /// The finished object.
    consuming func finish() -> ByteBuffer {
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    private mutating func writeKey(_ key: StaticString) {
        #if DEBUG
        let name = key.description
        assert(isEmpty || previousKey.utf8.lexicographicallyPrecedes(name.utf8), "JSONObjectWriter keys must be sorted: \(name)")
        previousKey = name
        #endif
        if !isEmpty { buffer.writeInteger(UInt8(ascii: ",")) }
        isEmpty = false
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeStaticString("\":")
    }

    private mutating func writeString(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !value.utf8.contains(where: Self.needsEscape) {
            buffer.writeString(value)
        } else {
            for byte in value.utf8 {
                guard Self.needsEscape(byte) else {
                    buffer.writeInteger(byte)
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0C: buffer.writeStaticString("\\f")
                case 0x0D: buffer.writeStaticString("\\r")
                default:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                    buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
