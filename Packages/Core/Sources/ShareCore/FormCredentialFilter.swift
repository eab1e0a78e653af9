import NIOCore

/// Removes the credential fields (`client_id`, `secret`, `client_secret`) from an
/// `application/x-www-form-urlencoded` body (or a query string) and reads the fields the gateway's
/// policies need.
///
/// Hand-written rather than going through ShareWire's `FormDecoder`: that decodes into a typed
/// value, while the gateway must keep every other pair exactly as the client encoded it. Keys are
/// percent- and `+`-decoded before comparing (`client%5Fid` is `client_id`); a malformed escape
/// anywhere is refused, since the upstream's decoder would reject or misread it.
public struct FormCredentialFilter: Sendable {
    /// A filter; it holds no settings.
    public init() {}

    /// The body without its credential pairs, and the policy fields it names.
    ///
    /// - Throws: ``BodyInspectionError/invalidForm`` for a malformed percent-escape anywhere,
    ///   ``BodyInspectionError/duplicateField(_:)`` when a policy field is named twice.
    public func inspect(_ buffer: ByteBuffer) throws(BodyInspectionError) -> InspectedBody {
        var result = InspectedBody(body: buffer)
        var removed: [Range<Int>] = []
        try buffer.withUnsafeReadableBytes { raw in Result { () throws(BodyInspectionError) in
            var pairs = FormPairScanner(raw)
            while let pair = pairs.next() {
                let key = String(FormPairScanner.baseName(of: try Self.decode(UnsafeRawBufferPointer(rebasing: raw[pair.name]))))
                let valueBytes = UnsafeRawBufferPointer(rebasing: raw[pair.value])
                if CredentialField(rawValue: key) != nil {
                    removed.append(pair.range)
                    _ = try Self.decode(valueBytes)
                } else if InspectedBody.policyFields.contains(key) {
                    try result.capture(key: key, value: try Self.decode(valueBytes))
                } else {
                    guard PercentCoding.hasValidEscapes(valueBytes) else { throw .invalidForm }
                }
            }
        } }.get()
        guard !removed.isEmpty else { return result }
        result.removedCredentials = true
        var output = ByteBuffer()
        output.reserveCapacity(buffer.readableBytes)
        buffer.withUnsafeReadableBytes { raw in
            var pairs = FormPairScanner(raw)
            var first = true
            while let pair = pairs.next() {
                if removed.contains(pair.range) { continue }
                if !first { output.writeInteger(UInt8(ascii: "&")) }
                output.writeBytes(UnsafeRawBufferPointer(rebasing: raw[pair.range]))
                first = false
            }
        }
        result.body = output
        return result
    }

    /// Removes credential pairs from a query string; `nil` when nothing remains.
    public func filterQuery(_ query: String) throws(BodyInspectionError) -> String? {
        var buffer = ByteBuffer()
        buffer.writeString(query)
        let inspected = try inspect(buffer)
        guard inspected.removedCredentials else { return query }
        let filtered = String(buffer: inspected.body)
        return filtered.isEmpty ? nil : filtered
    }

    /// Decodes `+` and `%XX`; invalid UTF-8 is replaced, as the upstream's decoder refuses it.
    private static func decode(_ bytes: UnsafeRawBufferPointer) throws(BodyInspectionError) -> String {
        guard let decoded = PercentCoding.decodedString(bytes, plus: .space) else { throw .invalidForm }
        return decoded
    }
}
