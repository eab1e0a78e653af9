import NIOCore

/// Reads HTTP/1.1 message heads (RFC 9112 §2–5) from the bytes of a connection, strictly: lines
/// end in CRLF, names are tokens followed directly by `:`, values hold no control byte but tab,
/// obsolete line folding is refused. Anything else is ``Failure/malformed(_:)`` — a proxy that
/// read a head differently from the server behind it could be used to smuggle requests.
///
/// Hand-written: the gateway forwards requests as bytes (the gateway's `ForwardingHandler`), and NIO's HTTP/1
/// codec, which builds header strings and message objects for every request and response, was
/// most of the forwarding path's cost (docs/gateway.md).
public enum HTTPHeadParser {
    /// Why a head was refused.
    public enum Failure: Error, Equatable, Sendable {
        /// Not well-formed HTTP/1.1; the message says what was wrong (never quoting the bytes).
        case malformed(String)
        /// The head is longer than allowed, or has too many fields (431 for a request).
        case tooLarge
        /// Not HTTP/1.0 or HTTP/1.1 (505 for a request).
        case unsupportedVersion
    }

    /// At most this many fields in one head.
    public static let maximumFieldCount = 128

    /// Drops the empty lines a client may send before a request line (RFC 9112 §2.2).
    public static func skipLeadingEmptyLines(_ buffer: inout ByteBuffer) {
        while buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
            buffer.moveReaderIndex(forwardBy: 2)
        }
    }

    /// The length of the head at the start of `buffer`, through its blank line, or `nil` while it
    /// is incomplete. `scanned` keeps how far earlier calls looked (start it at 0 for a new head),
    /// so a head arriving a byte at a time is not scanned again from its start.
    public static func headLength(of buffer: ByteBuffer, scanned: inout Int, limit: Int) throws(Failure) -> Int? {
        let result: Result<Int?, Failure> = buffer.withUnsafeReadableBytes { raw in
            var index = scanned
            while index < raw.count {
                if raw[index] == lf {
                    guard index > 0, raw[index - 1] == cr else { return .failure(.malformed("a line ends in a bare LF")) }
                    if index >= 3 && raw[index - 2] == lf { return index + 1 > limit ? .failure(.tooLarge) : .success(index + 1) }
                }
                index += 1
            }
            return .success(nil)
        }
        let length = try result.get()
        if length == nil {
            scanned = buffer.readableBytes
            if scanned > limit { throw .tooLarge }
        }
        return length
    }

    /// Parses a request head (as measured by ``headLength(of:scanned:limit:)``). The field list is
    /// built in `storage` when given: a caller parsing head after head keeps one array whose
    /// capacity is reused once the previous head is gone.
    public static func parseRequest(_ bytes: ByteBuffer, fieldStorage storage: inout [HTTPMessageHead.Field]) throws(Failure) -> ParsedRequestHead {
        let result: Result<ParsedRequestHead, Failure> = bytes.withUnsafeReadableBytes { raw in
            var index = 0
            while index < raw.count && isToken[Int(raw[index])] { index += 1 }
            guard index > 0, index <= 32, raw[index] == space else { return .failure(.malformed("the request line is malformed")) }
            let method = String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<index]), as: UTF8.self)
            index += 1
            let targetStart = index
            while raw[index] > space && raw[index] < 0x7F { index += 1 }
            guard index > targetStart, raw[index] == space else { return .failure(.malformed("the request target is malformed")) }
            let target = String(decoding: UnsafeRawBufferPointer(rebasing: raw[targetStart..<index]), as: UTF8.self)
            index += 1
            let minorVersion: Int
            switch version(raw, at: index) {
            case .success(let minor): minorVersion = minor
            case .failure(let failure): return .failure(failure)
            }
            guard raw[index + 8] == cr, raw[index + 9] == lf else { return .failure(.malformed("the request line is malformed")) }
            return fields(raw, from: index + 10, into: &storage).map { fields in
                ParsedRequestHead(method: method, target: target, minorVersion: minorVersion, head: HTTPMessageHead(bytes: bytes, fields: fields))
            }
        }
        return try result.get()
    }

    /// Parses a response head (as measured by ``headLength(of:scanned:limit:)``), building its
    /// field list in `storage` as ``parseRequest(_:fieldStorage:)`` does.
    public static func parseResponse(_ bytes: ByteBuffer, fieldStorage storage: inout [HTTPMessageHead.Field]) throws(Failure) -> ParsedResponseHead {
        let result: Result<ParsedResponseHead, Failure> = bytes.withUnsafeReadableBytes { raw in
            let minorVersion: Int
            switch version(raw, at: 0) {
            case .success(let minor): minorVersion = minor
            case .failure(let failure): return .failure(failure)
            }
            guard raw.count > 13, raw[8] == space, isDigit(raw[9]), isDigit(raw[10]), isDigit(raw[11]) else {
                return .failure(.malformed("the status line is malformed"))
            }
            let status = Int(raw[9] - zero) * 100 + Int(raw[10] - zero) * 10 + Int(raw[11] - zero)
            var index = 12
            if raw[index] == space {
                index += 1
                while raw[index] != cr {
                    guard isFieldValueByte(raw[index]) else { return .failure(.malformed("the reason phrase contains a control character")) }
                    index += 1
                }
            }
            guard raw[index] == cr, raw[index + 1] == lf else { return .failure(.malformed("the status line is malformed")) }
            let reason = (start: Int32(min(13, index)), end: Int32(index))
            return fields(raw, from: index + 2, into: &storage).map { fields in
                ParsedResponseHead(minorVersion: minorVersion, status: status, reason: reason, head: HTTPMessageHead(bytes: bytes, fields: fields))
            }
        }
        return try result.get()
    }

    /// Parses a request head into a new field list.
    public static func parseRequest(_ bytes: ByteBuffer) throws(Failure) -> ParsedRequestHead {
        var storage: [HTTPMessageHead.Field] = []
        return try parseRequest(bytes, fieldStorage: &storage)
    }

    /// Parses a response head into a new field list.
    public static func parseResponse(_ bytes: ByteBuffer) throws(Failure) -> ParsedResponseHead {
        var storage: [HTTPMessageHead.Field] = []
        return try parseResponse(bytes, fieldStorage: &storage)
    }

    /// `HTTP/1.0` or `HTTP/1.1` at `index`: the minor version.
    private static func version(_ raw: UnsafeRawBufferPointer, at index: Int) -> Result<Int, Failure> {
        guard raw.count >= index + 10 else { return .failure(.malformed("the start line is malformed")) }
        let prefix: StaticString = "HTTP/"
        for offset in 0..<5 where raw[index + offset] != prefix.utf8Start[offset] {
            return .failure(.malformed("the start line has no HTTP version"))
        }
        guard isDigit(raw[index + 5]), raw[index + 6] == UInt8(ascii: "."), isDigit(raw[index + 7]) else {
            return .failure(.malformed("the HTTP version is malformed"))
        }
        guard raw[index + 5] == UInt8(ascii: "1"), raw[index + 7] <= UInt8(ascii: "1") else { return .failure(.unsupportedVersion) }
        return .success(Int(raw[index + 7] - zero))
    }

    /// The field lines from `start` to the blank line. The head ends in CRLF CRLF and every LF
    /// follows a CR (``headLength(of:scanned:limit:)`` checked), so each scan below stops inside it.
    private static func fields(_ raw: UnsafeRawBufferPointer, from start: Int, into fields: inout [HTTPMessageHead.Field]) -> Result<[HTTPMessageHead.Field], Failure> {
        fields.removeAll(keepingCapacity: true)
        fields.reserveCapacity(12)
        var index = start
        while raw[index] != cr {
            if raw[index] == space || raw[index] == tab { return .failure(.malformed("a header line is folded (obsolete line folding)")) }
            let nameStart = index
            while isToken[Int(raw[index])] { index += 1 }
            guard index > nameStart, raw[index] == colon else { return .failure(.malformed("a header name is malformed")) }
            let nameEnd = index
            index += 1
            while raw[index] == space || raw[index] == tab { index += 1 }
            let valueStart = index
            while raw[index] != cr {
                guard isFieldValueByte(raw[index]) else { return .failure(.malformed("a header value contains a control character")) }
                index += 1
            }
            guard raw[index + 1] == lf else { return .failure(.malformed("a header line ends in a bare CR")) }
            var valueEnd = index
            while valueEnd > valueStart && (raw[valueEnd - 1] == space || raw[valueEnd - 1] == tab) { valueEnd -= 1 }
            fields.append(.init(nameStart: Int32(nameStart), nameEnd: Int32(nameEnd), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd)))
            guard fields.count <= maximumFieldCount else { return .failure(.tooLarge) }
            index += 2
        }
        guard raw[index + 1] == lf else { return .failure(.malformed("the head ends in a bare CR")) }
        return .success(fields)
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= UInt8(ascii: "9") }

    /// Tab, visible ASCII, space and bytes ≥ 0x80 (RFC 9110 §5.5).
    @inline(__always)
    private static func isFieldValueByte(_ byte: UInt8) -> Bool { byte == tab || (byte >= space && byte != 0x7F) }

    /// `tchar` of RFC 9110 §5.6.2.
    private static let isToken: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let colon = UInt8(ascii: ":")
    private static let zero = UInt8(ascii: "0")
}
