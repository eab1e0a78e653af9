import NIOCore

/// How a message's body is delimited (RFC 9112 §6.3), and how much of it is still to come.
public enum BodyFraming: Sendable {
    /// No body.
    case none
    /// `Content-Length`: this many bytes still to come.
    case length(remaining: Int)
    /// `Transfer-Encoding: chunked`, read by the decoder.
    case chunked(ChunkedBodyDecoder)
    /// The body ends when the connection closes (responses only).
    case untilClose

    /// A request's framing. Ambiguous framing — `Transfer-Encoding` with `Content-Length`, a
    /// coding other than `chunked`, differing or malformed lengths — is refused, never guessed:
    /// the upstream might read it differently.
    public static func request(_ request: ParsedRequestHead) throws(HTTPHeadParser.Failure) -> BodyFraming {
        let head = request.head
        if head.contains("transfer-encoding") {
            guard request.minorVersion >= 1 else { throw .malformed("HTTP/1.0 requests cannot use Transfer-Encoding") }
            guard !head.contains("content-length") else { throw .malformed("a request cannot have both Transfer-Encoding and Content-Length") }
            guard head.count(of: "transfer-encoding") == 1, isOnlyChunked(head) else {
                throw .malformed("the only transfer coding accepted is chunked")
            }
            return .chunked(ChunkedBodyDecoder())
        }
        guard let length = try contentLength(head) else { return .none }
        return length == 0 ? .none : .length(remaining: length)
    }

    /// A response's framing, for a request with `method`.
    public static func response(_ response: ParsedResponseHead, requestMethod method: String) throws(HTTPHeadParser.Failure) -> BodyFraming {
        if method == "HEAD" || response.status < 200 || response.status == 204 || response.status == 304 { return .none }
        let head = response.head
        if head.contains("transfer-encoding") {
            return lastTransferCoding(head) == .chunked ? .chunked(ChunkedBodyDecoder()) : .untilClose
        }
        guard let length = try contentLength(head) else { return .untilClose }
        return length == 0 ? .none : .length(remaining: length)
    }

    /// Reads body bytes from `buffer`, calling `data` with each piece of the body's data (without
    /// chunk framing). Returns whether the body is complete; what follows it stays in `buffer`.
    public mutating func read(_ buffer: inout ByteBuffer, data: (ByteBuffer) -> Void) throws(ChunkedBodyDecoder.Failure) -> Bool {
        switch self {
        case .none:
            return true
        case .length(let remaining):
            guard buffer.readableBytes > 0 else { return remaining == 0 }
            let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
            data(slice)
            self = .length(remaining: remaining - slice.readableBytes)
            return remaining == slice.readableBytes
        case .chunked(var decoder):
            self = .none  // no second copy of the decoder while it changes
            defer { self = .chunked(decoder) }
            return try decoder.decode(&buffer, data: data)
        case .untilClose:
            if buffer.readableBytes > 0 { data(buffer.readSlice(length: buffer.readableBytes)!) }
            return false
        }
    }

    /// Reads body bytes from `buffer` as they arrived, chunk framing included, for relaying them
    /// unchanged. Returns them (`nil` for none) and whether the body is complete.
    public mutating func readRaw(_ buffer: inout ByteBuffer) throws(ChunkedBodyDecoder.Failure) -> (bytes: ByteBuffer?, complete: Bool) {
        let start = buffer
        let complete = try read(&buffer) { _ in }
        let consumed = buffer.readerIndex - start.readerIndex
        return (consumed > 0 ? start.getSlice(at: start.readerIndex, length: consumed) : nil, complete)
    }

    private enum Coding {
        case chunked
        case other
    }

    /// Whether the last coding listed by the `Transfer-Encoding` fields is `chunked`, compared in
    /// ASCII only (a Unicode case mapping would let `chunK` with a Kelvin sign pass); empty list
    /// elements are skipped.
    private static func lastTransferCoding(_ head: HTTPMessageHead) -> Coding? {
        head.withUnsafeBytes { raw in
            var last: Coding?
            for field in head.fields where HTTPMessageHead.name(of: field, in: raw, equals: "transfer-encoding") {
                HTTPMessageHead.forEachListElement(HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd)) { element in
                    guard !element.isEmpty else { return }
                    last = ASCIICaseInsensitive.equals(element, "chunked") ? .chunked : .other
                }
            }
            return last
        }
    }

    /// Whether a request's one `Transfer-Encoding` field is `chunked` alone, compared in ASCII.
    private static func isOnlyChunked(_ head: HTTPMessageHead) -> Bool {
        guard let index = head.firstIndex(of: "transfer-encoding") else { return false }
        let field = head.fields[index]
        return head.withUnsafeBytes { raw in ASCIICaseInsensitive.equals(HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd), "chunked") }
    }

    /// The `Content-Length`: every occurrence the same run of digits (RFC 9112 §6.3 ¶5).
    private static func contentLength(_ head: HTTPMessageHead) throws(HTTPHeadParser.Failure) -> Int? {
        let result: Result<Int?, HTTPHeadParser.Failure> = head.withUnsafeBytes { raw in
            var length: Int?
            for field in head.fields where HTTPMessageHead.name(of: field, in: raw, equals: "content-length") {
                let value = HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd)
                guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    return .failure(.malformed("Content-Length is not a number"))
                }
                let parsed = value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
                guard length == nil || length == parsed else { return .failure(.malformed("Content-Length is given twice with different values")) }
                length = parsed
            }
            return .success(length)
        }
        return try result.get()
    }
}
