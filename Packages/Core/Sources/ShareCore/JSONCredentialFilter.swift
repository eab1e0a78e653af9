import NIOCore

/// Removes the top-level credential fields (`client_id`, `secret`, `client_secret`) from a JSON
/// object body and reads the fields the gateway's policies need, in one pass over the bytes.
///
/// Hand-written rather than decoding with `JSONSerialization`/`JSONDecoder` and re-encoding: a
/// round trip allocates a tree per request, reorders keys and may rewrite numbers, while the
/// gateway must forward the body byte for byte apart from the removed members. The scanner
/// validates the whole document (so the upstream cannot read a different structure than the
/// gateway did), decodes escaped keys (`"client\u005fid"` is `client_id`), limits nesting to
/// ``maximumDepth``, and returns the original buffer untouched when no credential is present.
public struct JSONCredentialFilter: Sendable {
    /// The deepest nesting of objects and arrays accepted.
    public var maximumDepth: Int

    /// A filter accepting nesting up to `maximumDepth`.
    public init(maximumDepth: Int = 64) {
        self.maximumDepth = maximumDepth
    }

    /// The body without its top-level credential members, and the policy fields it names.
    ///
    /// - Throws: ``BodyInspectionError`` when the body is not a well-formed JSON object, nests too
    ///   deeply, names a policy field twice or gives one a value that is not a string.
    public func inspect(_ buffer: ByteBuffer) throws(BodyInspectionError) -> InspectedBody {
        var result = InspectedBody(body: buffer)
        var removed: [Range<Int>] = []
        var kept = 0
        try buffer.withUnsafeReadableBytes { raw in Result { () throws(BodyInspectionError) in
            var scanner = Scanner(bytes: raw, maximumDepth: maximumDepth)
            try scanner.skipWhitespace()
            guard scanner.peek() == UInt8(ascii: "{") else {
                if scanner.peek() == nil { throw BodyInspectionError.invalidJSON(offset: 0) }
                throw BodyInspectionError.notAnObject
            }
            scanner.index += 1
            try scanner.skipWhitespace()
            if scanner.peek() == UInt8(ascii: "}") {
                scanner.index += 1
            } else {
                while true {
                    try scanner.skipWhitespace()
                    let memberStart = scanner.index
                    let key = try scanner.readKey()
                    try scanner.skipWhitespace()
                    try scanner.expect(UInt8(ascii: ":"))
                    try scanner.skipWhitespace()
                    let valueStart = scanner.index
                    let isString = scanner.peek() == UInt8(ascii: "\"")
                    try scanner.skipValue()
                    let valueEnd = scanner.index
                    if let key {
                        if CredentialField(rawValue: key) != nil {
                            removed.append(memberStart..<valueEnd)
                        } else if InspectedBody.policyFields.contains(key) {
                            guard isString else { throw BodyInspectionError.nonStringField(key) }
                            var valueScanner = Scanner(bytes: raw, maximumDepth: 1)
                            valueScanner.index = valueStart
                            try result.capture(key: key, value: try valueScanner.readString(capture: true))
                        } else {
                            kept += 1
                        }
                    } else {
                        kept += 1
                    }
                    try scanner.skipWhitespace()
                    if scanner.peek() == UInt8(ascii: ",") {
                        scanner.index += 1
                        continue
                    }
                    try scanner.expect(UInt8(ascii: "}"))
                    break
                }
            }
            try scanner.skipWhitespace()
            guard scanner.index == raw.count else { throw BodyInspectionError.invalidJSON(offset: scanner.index) }
        } }.get()
        guard !removed.isEmpty else { return result }
        result.removedCredentials = true
        result.body = Self.rebuild(buffer, without: removed)
        return result
    }

    /// The object with the `removed` members (ranges from key to end of value) left out.
    private static func rebuild(_ buffer: ByteBuffer, without removed: [Range<Int>]) -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(buffer.readableBytes)
        buffer.withUnsafeReadableBytes { raw in
            // Every member not removed, copied from its key to the end of its value.
            var scanner = Scanner(bytes: raw, maximumDepth: Int.max)
            output.writeInteger(UInt8(ascii: "{"))
            var first = true
            _ = try? scanner.skipWhitespace()
            scanner.index += 1
            while true {
                _ = try? scanner.skipWhitespace()
                if scanner.peek() == UInt8(ascii: "}") { break }
                let start = scanner.index
                _ = try? scanner.readKey()
                _ = try? scanner.skipWhitespace()
                scanner.index += 1  // ":"
                _ = try? scanner.skipWhitespace()
                _ = try? scanner.skipValue()
                let end = scanner.index
                if !removed.contains(start..<end) {
                    if !first { output.writeInteger(UInt8(ascii: ",")) }
                    output.writeBytes(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                    first = false
                }
                _ = try? scanner.skipWhitespace()
                if scanner.peek() == UInt8(ascii: ",") { scanner.index += 1 } else { break }
            }
            output.writeInteger(UInt8(ascii: "}"))
        }
        return output
    }

    /// A cursor over JSON bytes that validates as it skips.
    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        let maximumDepth: Int
        var index = 0

        init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        var failure: BodyInspectionError { .invalidJSON(offset: index) }

        mutating func skipWhitespace() throws(BodyInspectionError) {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws(BodyInspectionError) {
            guard peek() == byte else { throw failure }
            index += 1
        }

        /// Reads a member key. Returns it decoded when it could be a field the gateway cares
        /// about (credential or policy field), else `nil` without allocating.
        mutating func readKey() throws(BodyInspectionError) -> String? {
            guard peek() == UInt8(ascii: "\"") else { throw failure }
            let start = index + 1
            var hasEscape = false
            var end = start
            var probe = start
            while true {
                guard probe < bytes.count else { index = probe; throw failure }
                let byte = bytes[probe]
                if byte == UInt8(ascii: "\"") { end = probe; break }
                if byte == UInt8(ascii: "\\") { hasEscape = true; probe += 2; continue }
                if byte < 0x20 { index = probe; throw failure }
                probe += 1
            }
            if hasEscape {
                return try readString(capture: true)
            }
            index = end + 1
            let length = end - start
            // The interesting keys are 6–18 bytes long; skip the rest without allocating.
            guard length >= 6 && length <= 18 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }

        /// Reads a string, validating escapes; returns it decoded when `capture` is set.
        mutating func readString(capture: Bool) throws(BodyInspectionError) -> String? {
            guard peek() == UInt8(ascii: "\"") else { throw failure }
            index += 1
            var decoded: [UInt8] = []
            while true {
                guard index < bytes.count else { throw failure }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return capture ? String(decoding: decoded, as: UTF8.self) : nil
                }
                if byte < 0x20 { throw failure }
                if byte != UInt8(ascii: "\\") {
                    if capture { decoded.append(byte) }
                    index += 1
                    continue
                }
                guard index + 1 < bytes.count else { throw failure }
                let escape = bytes[index + 1]
                index += 2
                let simple: UInt8?
                switch escape {
                case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
                case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
                case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"): simple = nil
                default: throw failure
                }
                if let simple {
                    if capture { decoded.append(simple) }
                    continue
                }
                var scalar = try readHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw failure }
                    index += 2
                    let low = try readHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure
                }
                if capture, let unicode = Unicode.Scalar(scalar) {
                    decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
                }
            }
        }

        private mutating func readHex4() throws(BodyInspectionError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                guard let digit = PercentCoding.hexValue(byte) else { throw failure }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Skips one value of any kind, validating it; nesting is bounded by `maximumDepth`.
        mutating func skipValue() throws(BodyInspectionError) {
            // Closing brackets still expected, innermost last; `true` for an object.
            var open: [Bool] = []
            while true {
                try skipWhitespace()
                guard let byte = peek() else { throw failure }
                var completedValue = true
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.count < maximumDepth else { throw BodyInspectionError.tooDeep }
                    let isObject = byte == UInt8(ascii: "{")
                    open.append(isObject)
                    index += 1
                    try skipWhitespace()
                    let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if peek() == close {
                        index += 1
                        open.removeLast()
                    } else {
                        if isObject { try readMemberPrefix() }
                        completedValue = false
                    }
                case UInt8(ascii: "\""):
                    _ = try readString(capture: false)
                case UInt8(ascii: "t"): try literal("true")
                case UInt8(ascii: "f"): try literal("false")
                case UInt8(ascii: "n"): try literal("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try number()
                default:
                    throw failure
                }
                guard completedValue else { continue }
                // After a complete value: close containers or move to the next element.
                while let isObject = open.last {
                    try skipWhitespace()
                    guard let next = peek() else { throw failure }
                    if next == UInt8(ascii: ",") {
                        index += 1
                        try skipWhitespace()
                        if isObject { try readMemberPrefix() }
                        break
                    }
                    guard next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { throw failure }
                    index += 1
                    open.removeLast()
                }
                if open.isEmpty { return }
            }
        }

        /// `"key" :` inside a nested object.
        private mutating func readMemberPrefix() throws(BodyInspectionError) {
            _ = try readString(capture: false)
            try skipWhitespace()
            try expect(UInt8(ascii: ":"))
        }

        private mutating func literal(_ word: StaticString) throws(BodyInspectionError) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw failure }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw failure }
            index += count
        }

        private mutating func number() throws(BodyInspectionError) {
            if peek() == UInt8(ascii: "-") { index += 1 }
            guard let first = peek(), isDigit(first) else { throw failure }
            if first == UInt8(ascii: "0") {
                index += 1
            } else {
                while let byte = peek(), isDigit(byte) { index += 1 }
            }
            if peek() == UInt8(ascii: ".") {
                index += 1
                guard let byte = peek(), isDigit(byte) else { throw failure }
                while let byte = peek(), isDigit(byte) { index += 1 }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                index += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
                guard let byte = peek(), isDigit(byte) else { throw failure }
                while let byte = peek(), isDigit(byte) { index += 1 }
            }
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
