/// The byte rules of `application/x-www-form-urlencoded` (WHATWG URL Standard §5).
///
/// Written by hand rather than taken from Foundation's `addingPercentEncoding`, whose character
/// sets do not match the WHATWG set (it leaves `~`, `!`, `'`… unescaped and has no `+` for space)
/// and which works on `String` rather than bytes.
enum FormPercentEncoding {
    /// Whether the serializer writes `byte` as is: ASCII letters and digits, `*`, `-`, `.`, `_`.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2A, 0x2D, 0x2E, 0x5F: true
        default: false
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Appends the serialized form of `bytes` to `output`: unreserved bytes as they are, space as
    /// `+`, everything else as `%XX`.
    @inline(__always)
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) {
                output.append(byte)
            } else if byte == 0x20 {
                output.append(0x2B)
            } else {
                output.append(0x25)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
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
