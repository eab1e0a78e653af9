/// Decodes `application/x-www-form-urlencoded` bodies into `Decodable` values.
///
/// The body is parsed from its bytes following the WHATWG urlencoded rules — fields split at `&`,
/// name and value at the first `=`, `+` and `%20` both meaning space — and then read through
/// Swift's `Decoder` protocol:
///
/// - Every value is text: integers, floating-point numbers and `true`/`false` are parsed from it,
///   and text that does not parse is an error naming the field.
/// - `a[b]=…` nests (up to ``maximumDepth`` levels); a repeated name (`a=1&a=2`, or `a[]=1&a[]=2`)
///   is a list; `a[0][b]=…` is a list of objects.
/// - Fields the type does not ask for are ignored. A field sent with an empty value counts as
///   absent for optional properties (RFC 6749 §3.1). A list with no fields decodes as empty, and
///   an object with no fields as an object whose fields are all absent — mirroring what
///   ``FormEncoder`` writes for them (nothing).
/// - A repeated name where one value is expected, an invalid percent-escape, invalid UTF-8 and
///   nesting beyond the limit are errors.
///
/// Every failure is a ``WireError`` with the field's coding path and no input values.
///
/// Hand-written rather than taken from Hummingbird's `URLEncodedFormDecoder` (which ShareWire
/// cannot depend on, having no HTTP in it) so that errors are typed and value-free, the parser
/// is strict about escapes and UTF-8, and decoding works directly on the body's bytes.
public struct FormDecoder: Sendable {
    /// The deepest `a[b][c]` nesting accepted, counted in bracket pairs.
    public var maximumDepth: Int

    /// A decoder accepting nesting up to `maximumDepth` bracket pairs.
    public init(maximumDepth: Int = 8) { self.maximumDepth = maximumDepth }

    /// Decodes a form body given as a string.
    public func decode<T: Decodable>(_ type: T.Type, from string: String) throws(WireError) -> T {
        var string = string
        let fields = string.withUTF8 { bytes in parse(bytes) }
        return try decode(type, from: fields.get())
    }

    /// Decodes a form body given as bytes.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(WireError) -> T {
        let fields =
            bytes.withContiguousStorageIfAvailable { parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { parse($0) }
        return try decode(type, from: fields.get())
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<FormFields, WireError> {
        var parser = FormParser(maximumDepth: maximumDepth)
        return Result { () throws(WireError) in try parser.parse(bytes) }
    }

    private func decode<T: Decodable>(_ type: T.Type, from fields: FormFields) throws(WireError) -> T {
        let state = FormDecodingState(root: fields)
        do {
            return try T(from: state)
        } catch {
            throw WireError(translating: error)
        }
    }
}
