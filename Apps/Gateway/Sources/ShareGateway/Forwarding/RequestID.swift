import Atomics

/// The `X-Request-Id` the gateway uses for a request: the client's when it is a plain token
/// (1–128 characters of `A-Z a-z 0-9 . _ : -`), otherwise a new one, so that a header value can
/// never smuggle anything into a log line or the upstream request.
///
/// New ids are a random per-process prefix and a counter, 15 characters of the URL-safe base-64
/// alphabet (90 bits): unique without a random-number system call per request, and short enough
/// to be a Swift small string, so making and copying one allocates nothing. They identify
/// requests; they are not secrets.
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

    private static let prefix: UInt64 = .random(in: 0...UInt64.max)
    private static let counter = ManagedAtomic<UInt64>(.random(in: 0...UInt64(UInt32.max)))

    /// 15 characters: 7 for 42 bits of the process prefix, then 8 for 48 bits of the counter.
    static func generate() -> String {
        let sequence = counter.loadThenWrappingIncrement(ordering: .relaxed)
        return String(unsafeUninitializedCapacity: 15) { buffer in
            let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            for index in 0..<7 {
                buffer[index] = alphabet.utf8Start[Int((prefix >> (36 - 6 * UInt64(index))) & 0x3F)]
            }
            for index in 0..<8 {
                buffer[7 + index] = alphabet.utf8Start[Int((sequence >> (42 - 6 * UInt64(index))) & 0x3F)]
            }
            return 15
        }
    }
}
