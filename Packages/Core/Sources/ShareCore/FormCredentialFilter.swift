import NIOCore

/// Removes the credential fields (`client_id`, `secret`, `client_secret`) from an
/// `application/x-www-form-urlencoded` body (or a query string) and reads the fields the gateway's
/// policies need.
///
/// Hand-written rather than going through ShareWire's `FormDecoder`: that decodes into a typed
/// value, while the gateway must keep every other pair exactly as the client encoded it. Keys are
/// percent- and `+`-decoded before comparing (`client%5Fid` is `client_id`); a malformed escape
/// anywhere is refused, since the upstream's decoder would reject or misread it.
struct FormCredentialFilter: Sendable {
    func inspect(_ buffer: ByteBuffer) throws(BodyInspectionError) -> InspectedBody {
        var result = InspectedBody(body: buffer)
        var removed: [Range<Int>] = []
        try buffer.withUnsafeReadableBytes { raw in Result { () throws(BodyInspectionError) in
            var start = 0
            while start <= raw.count {
                var end = start
                while end < raw.count && raw[end] != UInt8(ascii: "&") { end += 1 }
                if end > start {
                    var equals = start
                    while equals < end && raw[equals] != UInt8(ascii: "=") { equals += 1 }
                    let key = Self.fieldName(try Self.decode(UnsafeRawBufferPointer(rebasing: raw[start..<equals])))
                    let valueBytes = equals < end ? UnsafeRawBufferPointer(rebasing: raw[(equals + 1)..<end]) : UnsafeRawBufferPointer(start: nil, count: 0)
                    if InspectedBody.credentialFields.contains(key) {
                        removed.append(start..<end)
                        _ = try Self.decode(valueBytes)
                    } else if InspectedBody.policyFields.contains(key) {
                        try result.capture(key: key, value: try Self.decode(valueBytes))
                    } else {
                        _ = try Self.validate(valueBytes)
                    }
                }
                start = end + 1
            }
        } }.get()
        guard !removed.isEmpty else { return result }
        result.removedCredentials = true
        var output = ByteBuffer()
        output.reserveCapacity(buffer.readableBytes)
        buffer.withUnsafeReadableBytes { raw in
            var start = 0
            var first = true
            while start <= raw.count {
                var end = start
                while end < raw.count && raw[end] != UInt8(ascii: "&") { end += 1 }
                if end > start && !removed.contains(start..<end) {
                    if !first { output.writeInteger(UInt8(ascii: "&")) }
                    output.writeBytes(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                    first = false
                }
                start = end + 1
            }
        }
        result.body = output
        return result
    }

    /// Removes credential pairs from a query string; `nil` when nothing remains.
    func filterQuery(_ query: String) throws(BodyInspectionError) -> String? {
        var buffer = ByteBuffer()
        buffer.writeString(query)
        let inspected = try inspect(buffer)
        guard inspected.removedCredentials else { return query }
        let filtered = String(buffer: inspected.body)
        return filtered.isEmpty ? nil : filtered
    }

    /// The field a decoded key names for the upstream's form decoder: the part before any `[`.
    /// ShareWire reads `client_id[]=x` as `client_id = "x"`, so bracketed keys count as their base
    /// field — for removal and for the policy fields alike (found by `scripts/fuzz gateway-body`).
    private static func fieldName(_ key: String) -> String {
        guard let bracket = key.utf8.firstIndex(of: UInt8(ascii: "[")) else { return key }
        return String(key[..<bracket])
    }

    /// Checks the escapes of a value without decoding it.
    private static func validate(_ bytes: UnsafeRawBufferPointer) throws(BodyInspectionError) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, hexValue(bytes[index + 1]) != nil, hexValue(bytes[index + 2]) != nil
                else { throw .invalidForm }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    /// Decodes `+` and `%XX`.
    private static func decode(_ bytes: UnsafeRawBufferPointer) throws(BodyInspectionError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { throw .invalidForm }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
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
