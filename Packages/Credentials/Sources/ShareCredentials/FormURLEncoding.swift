/// `application/x-www-form-urlencoded` escaping of single strings, as RFC 6749 §2.3.1 requires for
/// the client id and secret inside HTTP Basic credentials, and as form bodies use for their keys.
///
/// ShareWire encodes and decodes whole `Encodable` values; this is the string-level step that HTTP
/// Basic needs on its own, kept to the WHATWG URL standard's rules: ASCII letters, digits and
/// `*-._` stay, a space becomes `+`, every other byte of the UTF-8 form becomes `%XX`.
enum FormURLEncoding {
    /// What a `+` in an encoded value stands for when decoding.
    enum Plus {
        /// A space, as `application/x-www-form-urlencoded` defines it.
        case space
        /// A literal `+`, for senders that did not encode their values.
        case literal
    }

    static func encode(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                output.append(byte)
            case UInt8(ascii: " "):
                output.append(UInt8(ascii: "+"))
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `%XX` escapes and `+`; `nil` for a malformed escape or bytes that are not UTF-8.
    static func decode(_ string: some StringProtocol, plus: Plus = .space) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        var iterator = string.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                output.append(plus == .space ? UInt8(ascii: " ") : byte)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                output.append(high << 4 | low)
            default:
                output.append(byte)
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
