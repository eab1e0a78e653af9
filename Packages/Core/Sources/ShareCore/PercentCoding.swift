/// The byte rules of `application/x-www-form-urlencoded` (WHATWG URL Standard §5).
///
/// Written by hand rather than taken from Foundation's `addingPercentEncoding`, whose character
/// sets do not match the WHATWG set (it leaves `~`, `!`, `'`… unescaped and has no `+` for space)
/// and which works on `String` rather than bytes.
enum FormPercentEncoding {
    /// Bit `b` set for each unreserved byte `b` below 64: `*`, `-`, `.`, `0`…`9`.
    @inline(__always) private static var lowUnreserved: UInt64 { 0x03FF_6400_0000_0000 }
    /// Bit `b - 64` set for each unreserved byte `b` from 64 to 127: `A`…`Z`, `_`, `a`…`z`.
    @inline(__always) private static var highUnreserved: UInt64 { 0x07FF_FFFE_87FF_FFFE }

    /// Whether the serializer writes `byte` as is: ASCII letters and digits, `*`, `-`, `.`, `_`.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        if byte < 64 { return (lowUnreserved >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (highUnreserved >> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    /// The uppercase hex digit for a value below 16.
    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 &+ nibble : 0x37 &+ nibble
    }

    /// Appends the serialized form of `bytes` to `output`: unreserved bytes as they are (copied
    /// in runs), space as `+`, everything else as `%XX`.
    @inline(__always)
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let count = bytes.count
        var runStart = 0
        var index = 0
        while index < count {
            let byte = bytes[index]
            if isUnreserved(byte) {
                index &+= 1
                continue
            }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            if byte == 0x20 {
                output.append(0x2B)
            } else {
                output.append(0x25)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
            }
            index &+= 1
            runStart = index
        }
        if runStart < count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count])) }
    }

    /// Appends the serialized form of `text` to `output`.
    @inline(__always)
    static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &output) }
    }

    /// The value of an ASCII hex digit, or `nil`.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x41...0x46: byte &- 0x37
        case 0x61...0x66: byte &- 0x57
        default: nil
        }
    }
}
