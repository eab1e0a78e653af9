/// The `X-Request-Id` the gateway uses for a request: the client's when it is a plain token
/// (1–128 characters of `A-Z a-z 0-9 . _ : -`), otherwise a fresh random one, so that a header
/// value can never smuggle anything into a log line or the upstream request.
enum RequestID {
    static func resolve(_ supplied: String?) -> String {
        if let supplied, isAcceptable(supplied) { return supplied }
        return generate()
    }

    static func isAcceptable(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard !utf8.isEmpty && utf8.count <= 128 else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// 24 hex digits (96 random bits), written without intermediate strings.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt32
        return String(unsafeUninitializedCapacity: 24) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 {
                buffer[index] = digits.utf8Start[Int((high >> (60 - 4 * UInt64(index))) & 0xF)]
            }
            for index in 0..<8 {
                buffer[16 + index] = digits.utf8Start[Int((low >> (28 - 4 * UInt32(index))) & 0xF)]
            }
            return 24
        }
    }
}
