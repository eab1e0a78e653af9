import NIOCore
import ShareCore

/// The gateway's hand-written HTTP/1.1 reading, which faces the internet. The input is read three
/// ways, each of which must never crash:
///
/// - as the bytes a client sends on one connection: head after head (empty lines skipped, heads
///   measured, parsed as requests, framed, bodies read) until the bytes run out or something is
///   refused. Every head must hold what the parser promises its users (names are tokens, values
///   hold no control byte but tab and no surrounding whitespace, the head ends in its blank line,
///   the lookups agree with the field list), must measure the same arriving a byte at a time as
///   arriving whole; the framing must follow the head's Transfer-Encoding and Content-Length
///   (transfer codings compared in ASCII, RFC 9110 §10.1.4), and a body must be read to exactly
///   its framing, a chunked one the same as when it arrives a byte at a time;
/// - as an upstream response: a head, parsed as a response, framed (for GET and HEAD), its body;
/// - as a chunked body: decoding it whole, in two pieces split where the input says, and a byte at
///   a time must give the same data, end and verdict.
enum HTTP1Target {
    /// The head limit the gateway uses.
    static let headLimit = 32 * 1024

    static func run(_ bytes: [UInt8]) {
        requestStream(bytes)
        response(bytes)
        chunked(bytes)
    }

    // MARK: - Requests

    static func requestStream(_ bytes: [UInt8]) {
        var buffer = ByteBuffer(bytes: bytes)
        var storage: [HTTPMessageHead.Field] = []
        while true {
            HTTPHeadParser.skipLeadingEmptyLines(&buffer)
            guard buffer.readableBytes > 0 else { return }
            guard let length = measure(buffer) else { return }
            let headBytes = buffer.readSlice(length: length)!
            let request: ParsedRequestHead
            do { request = try HTTPHeadParser.parseRequest(headBytes, fieldStorage: &storage) } catch { return }
            check(request, headBytes)
            var framing: BodyFraming
            do { framing = try .request(request) } catch { return }
            checkRequestFraming(kind(of: framing), request)
            guard readBody(&framing, from: &buffer) else { return }
        }
    }

    /// The head length `headLength` finds at the start of `buffer`, after checking that it finds
    /// the same when the bytes arrive one at a time.
    static func measure(_ buffer: ByteBuffer) -> Int? {
        var scanned = 0
        let whole: Measure
        do {
            whole = try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: headLimit).map(Measure.length) ?? .incomplete
        } catch {
            whole = .failure(error)
        }
        var piecewise = Measure.incomplete
        scanned = 0
        for end in stride(from: 1, through: buffer.readableBytes, by: 1) {
            let arrived = buffer.getSlice(at: buffer.readerIndex, length: end)!
            let before = scanned
            do {
                if let length = try HTTPHeadParser.headLength(of: arrived, scanned: &scanned, limit: headLimit) {
                    piecewise = .length(length)
                    break
                }
                FuzzFailure.require(scanned >= before && scanned <= end, "headLength moved scanned from \(before) to \(scanned) over \(end) bytes")
            } catch {
                piecewise = .failure(error)
                break
            }
        }
        FuzzFailure.require(whole == piecewise, "headLength finds \(whole) in the bytes whole but \(piecewise) a byte at a time")
        guard case .length(let length) = whole else { return nil }
        FuzzFailure.require(length >= 4 && length <= buffer.readableBytes && length <= headLimit, "headLength gives \(length) for \(buffer.readableBytes) bytes")
        let head = Array(buffer.readableBytesView.prefix(length))
        FuzzFailure.require(head.suffix(4) == crlfcrlf, "the head does not end in CRLF CRLF")
        for index in head.indices where head[index] == lf {
            FuzzFailure.require(index > 0 && head[index - 1] == cr, "the head holds a bare LF at \(index)")
            FuzzFailure.require(index == head.count - 1 || index < 3 || head[(index - 3)...index] != crlfcrlf[...], "the head runs past its blank line at \(index)")
        }
        return length
    }

    enum Measure: Equatable, CustomStringConvertible {
        case incomplete
        case length(Int)
        case failure(HTTPHeadParser.Failure)

        var description: String {
            switch self {
            case .incomplete: "an incomplete head"
            case .length(let length): "a head of \(length) bytes"
            case .failure(let failure): "failure \(failure)"
            }
        }
    }

    static func check(_ request: ParsedRequestHead, _ headBytes: ByteBuffer) {
        let head = request.head
        let bytes = Array(buffer: head.bytes)
        FuzzFailure.require(bytes == Array(headBytes.readableBytesView), "the parsed head's bytes are not the bytes parsed")
        let method = Array(request.method.utf8)
        FuzzFailure.require(!method.isEmpty && method.count <= 32 && method.allSatisfy(isToken), "the method \(method) is not a token")
        let target = Array(request.target.utf8)
        FuzzFailure.require(!target.isEmpty && target.allSatisfy { $0 > space && $0 < 0x7F }, "the target \(target) is empty or holds whitespace or control bytes")
        FuzzFailure.require(request.minorVersion == 0 || request.minorVersion == 1, "the minor version is \(request.minorVersion)")
        let line = method + [space] + target + Array(" HTTP/1.\(request.minorVersion)\r\n".utf8)
        FuzzFailure.require(bytes.starts(with: line), "the request line is not method SP target SP version CRLF")
        checkFields(head, from: line.count)
        let keepAlive = request.minorVersion >= 1
            ? !lists(head, "connection", "close") : lists(head, "connection", "keep-alive")
        FuzzFailure.require(request.isKeepAlive == keepAlive, "isKeepAlive is \(request.isKeepAlive) for this Connection field")
    }

    static func checkRequestFraming(_ kind: FramingKind, _ request: ParsedRequestHead) {
        let head = request.head
        let transferEncoding = fieldValueBytes(head, "transfer-encoding")
        let contentLength = fieldValueBytes(head, "content-length")
        switch kind {
        case .untilClose:
            FuzzFailure.stop("a request is framed until the connection closes")
        case .chunked:
            FuzzFailure.require(request.minorVersion == 1 && contentLength.isEmpty, "a chunked request is HTTP/1.0 or also has Content-Length")
            // Transfer codings are compared ASCII case-insensitively (RFC 9110 §10.1.4): only
            // `chunked` itself, in any ASCII case, frames a request as chunked.
            FuzzFailure.require(transferEncoding.count == 1 && asciiLowercased(transferEncoding[0]) == Array("chunked".utf8),
                                "a request is chunked for Transfer-Encoding \(transferEncoding) (hex \(transferEncoding.map(hex)))")
        case .length(let length):
            FuzzFailure.require(transferEncoding.isEmpty, "a request with Transfer-Encoding is framed by length")
            FuzzFailure.require(!contentLength.isEmpty && contentLength.allSatisfy { decimal($0) == length },
                                "a request of length \(length) has Content-Length \(contentLength)")
        case .none:
            FuzzFailure.require(transferEncoding.isEmpty, "a request with Transfer-Encoding has no body")
            FuzzFailure.require(contentLength.allSatisfy { decimal($0) == 0 }, "a request with Content-Length \(contentLength) has no body")
        }
    }

    /// A run of 1 to 18 ASCII digits as a number.
    static func decimal(_ bytes: [UInt8]) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Reads the body that `framing` delimits from `buffer`; whether it ended.
    static func readBody(_ framing: inout BodyFraming, from buffer: inout ByteBuffer) -> Bool {
        let kind = kind(of: framing)
        let unread = buffer
        let start = buffer.readerIndex
        var data: [UInt8] = []
        let complete: Bool
        do {
            complete = try framing.read(&buffer) { data.append(contentsOf: $0.readableBytesView) }
        } catch {
            return false
        }
        let consumed = buffer.readerIndex - start
        FuzzFailure.require(complete || buffer.readableBytes == 0, "the body is incomplete with \(buffer.readableBytes) bytes left unread")
        switch kind {
        case .none:
            FuzzFailure.require(complete && data.isEmpty && consumed == 0, "a message without a body read \(consumed) bytes")
        case .length(let length):
            FuzzFailure.require(consumed == data.count && (complete ? data.count == length : data.count < length),
                                "a body of length \(length) gave \(data.count) bytes (complete: \(complete))")
        case .untilClose:
            FuzzFailure.require(!complete && consumed == data.count, "a body read until the connection closes ended")
        case .chunked:
            let bodyBytes = unread.getBytes(at: start, length: consumed)!
            let again = decode(bodyBytes, pieces: bytewise(bodyBytes.count))
            FuzzFailure.require(again == ChunkedOutcome(data: data, complete: complete, malformed: false, consumed: consumed),
                                "a chunked body read as it arrives a byte at a time gives \(again)")
        }
        return complete
    }

    // MARK: - Responses

    static func response(_ bytes: [UInt8]) {
        var buffer = ByteBuffer(bytes: bytes)
        var scanned = 0
        guard let length = try? HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: headLimit) else { return }
        let headBytes = buffer.readSlice(length: length)!
        guard let response = try? HTTPHeadParser.parseResponse(headBytes) else { return }
        let head = response.head
        let bytes = Array(buffer: head.bytes)
        FuzzFailure.require(bytes == Array(headBytes.readableBytesView), "the parsed head's bytes are not the bytes parsed")
        FuzzFailure.require(response.minorVersion == 0 || response.minorVersion == 1, "the minor version is \(response.minorVersion)")
        FuzzFailure.require(bytes.starts(with: Array("HTTP/1.\(response.minorVersion) ".utf8)), "the status line does not start with the version")
        FuzzFailure.require((0...999).contains(response.status) && bytes[9..<12].elementsEqual(Array(threeDigits(response.status).utf8)),
                            "the status \(response.status) is not the three digits sent")
        let reasonStart = Int(response.reason.start), reasonEnd = Int(response.reason.end)
        FuzzFailure.require(reasonStart <= reasonEnd && reasonEnd + 2 <= bytes.count && (reasonStart == 12 || reasonStart == 13),
                            "the reason phrase lies at \(reasonStart)..<\(reasonEnd)")
        FuzzFailure.require(bytes[reasonEnd] == cr && bytes[reasonEnd + 1] == lf, "the status line does not end after the reason phrase")
        FuzzFailure.require(bytes[reasonStart..<reasonEnd].allSatisfy(isFieldValueByte), "the reason phrase holds a control byte")
        checkFields(head, from: reasonEnd + 2)
        let keepAlive = response.minorVersion >= 1
            ? !lists(head, "connection", "close") : lists(head, "connection", "keep-alive")
        FuzzFailure.require(response.isKeepAlive == keepAlive, "isKeepAlive is \(response.isKeepAlive) for this Connection field")
        if let framing = try? BodyFraming.response(response, requestMethod: "HEAD") {
            checkResponseFraming(kind(of: framing), response, "HEAD")
        }
        guard var framing = try? BodyFraming.response(response, requestMethod: "GET") else { return }
        checkResponseFraming(kind(of: framing), response, "GET")
        _ = readBody(&framing, from: &buffer)
    }

    static func checkResponseFraming(_ kind: FramingKind, _ response: ParsedResponseHead, _ method: String) {
        if method == "HEAD" || response.status < 200 || response.status == 204 || response.status == 304 {
            FuzzFailure.require(kind == .none, "a response to \(method) with status \(response.status) has a body")
            return
        }
        let head = response.head
        let transferEncoding = fieldValueBytes(head, "transfer-encoding")
        let contentLength = fieldValueBytes(head, "content-length")
        switch kind {
        case .chunked:
            // The gateway finds the end of a chunked response where the client will: only when
            // the final transfer coding is `chunked` in ASCII, whatever its case (RFC 9112 §6.3).
            let codings = transferEncoding.flatMap { $0.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) }
                .map { asciiLowercased(trimmed($0)) }.filter { !$0.isEmpty }
            FuzzFailure.require(codings.last == Array("chunked".utf8),
                                "a response is chunked for Transfer-Encoding \(transferEncoding) (hex \(transferEncoding.map(hex)))")
        case .untilClose:
            FuzzFailure.require(!transferEncoding.isEmpty || contentLength.isEmpty, "a response with Content-Length is read until close")
        case .length(let length):
            FuzzFailure.require(transferEncoding.isEmpty, "a response with Transfer-Encoding is framed by length")
            FuzzFailure.require(!contentLength.isEmpty && contentLength.allSatisfy { decimal($0) == length },
                                "a response of length \(length) has Content-Length \(contentLength)")
        case .none:
            FuzzFailure.require(transferEncoding.isEmpty, "a response with Transfer-Encoding has no body")
            FuzzFailure.require(contentLength.allSatisfy { decimal($0) == 0 }, "a response with Content-Length \(contentLength) has no body")
        }
    }

    // MARK: - Fields

    /// The field lines from `start` on: names are tokens followed by a colon, values hold no
    /// control byte but tab and no surrounding whitespace, and the lookups agree with the list.
    static func checkFields(_ head: HTTPMessageHead, from start: Int) {
        let bytes = Array(buffer: head.bytes)
        let fields = head.fields.map(FieldOffsets.init)
        FuzzFailure.require(fields.count <= 128, "a head has \(fields.count) fields")
        var position = start
        for (index, field) in fields.enumerated() {
            FuzzFailure.require(field.nameStart == position, "field \(index) does not start where the previous line ended")
            FuzzFailure.require(field.nameStart < field.nameEnd && field.nameEnd < field.valueStart
                                && field.valueStart <= field.valueEnd && field.valueEnd + 2 <= bytes.count,
                                "field \(index) lies at \(field.nameStart), \(field.nameEnd), \(field.valueStart), \(field.valueEnd)")
            let name = bytes[field.nameStart..<field.nameEnd]
            FuzzFailure.require(name.allSatisfy(isToken), "the field name \(Array(name)) is not a token")
            FuzzFailure.require(bytes[field.nameEnd] == colon, "the field name is not followed by a colon")
            FuzzFailure.require(bytes[(field.nameEnd + 1)..<field.valueStart].allSatisfy { $0 == space || $0 == tab }, "field \(index) skips more than whitespace")
            let value = bytes[field.valueStart..<field.valueEnd]
            FuzzFailure.require(value.allSatisfy(isFieldValueByte), "the field value \(Array(value)) holds a control byte")
            if let first = value.first, let last = value.last {
                FuzzFailure.require(first != space && first != tab && last != space && last != tab, "the field value \(Array(value)) has surrounding whitespace")
            }
            var end = field.valueEnd
            while bytes[end] == space || bytes[end] == tab { end += 1 }
            FuzzFailure.require(bytes[end] == cr && bytes[end + 1] == lf, "field \(index) does not end in CRLF")
            FuzzFailure.require(head.name(at: index) == String(decoding: name, as: UTF8.self), "name(at: \(index)) differs from the bytes")
            FuzzFailure.require(head.value(at: index) == String(decoding: value, as: UTF8.self), "value(at: \(index)) differs from the bytes")
            position = end + 2
        }
        FuzzFailure.require(position == bytes.count - 2, "the fields end at \(position), not at the blank line of a \(bytes.count)-byte head")
        checkLookup(head, "content-length")
        checkLookup(head, "transfer-encoding")
        checkLookup(head, "connection")
        checkLookup(head, "host")
    }

    static func checkLookup(_ head: HTTPMessageHead, _ name: StaticString) {
        let values = fieldValues(head, name)
        FuzzFailure.require(head.count(of: name) == values.count, "count(of: \(name)) is \(head.count(of: name)), not \(values.count)")
        FuzzFailure.require(head.contains(name) == !values.isEmpty, "contains(\(name)) is wrong")
        FuzzFailure.require(head.value(name) == (values.isEmpty ? nil : values.joined(separator: ", ")), "value(\(name)) is wrong")
        let first = head.firstIndex(of: name)
        let lowercase = Array("\(name)".utf8)
        FuzzFailure.require(first == head.fields.indices.first { asciiLowercased(head.name(at: $0).utf8) == lowercase }, "firstIndex(of: \(name)) is wrong")
    }

    /// The values of the fields named `name`, found without the head's own lookups.
    static func fieldValueBytes(_ head: HTTPMessageHead, _ name: StaticString) -> [[UInt8]] {
        let bytes = Array(buffer: head.bytes)
        let lowercase = Array("\(name)".utf8)
        return head.fields.map(FieldOffsets.init).compactMap { field in
            asciiLowercased(bytes[field.nameStart..<field.nameEnd]) == lowercase ? Array(bytes[field.valueStart..<field.valueEnd]) : nil
        }
    }

    static func fieldValues(_ head: HTTPMessageHead, _ name: StaticString) -> [String] {
        fieldValueBytes(head, name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a field named `name` lists `token` (comma-separated, ASCII case-insensitive).
    static func lists(_ head: HTTPMessageHead, _ name: StaticString, _ token: String) -> Bool {
        let token = Array(token.utf8)
        return fieldValueBytes(head, name).contains { value in
            value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).contains { element in
                asciiLowercased(trimmed(element)) == token
            }
        }
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, first == space || first == tab { bytes.removeFirst() }
        while let last = bytes.last, last == space || last == tab { bytes.removeLast() }
        return bytes
    }

    static func asciiLowercased<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
    }

    /// `value` as three decimal digits.
    static func threeDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    // MARK: - Chunked bodies

    static func chunked(_ bytes: [UInt8]) {
        let whole = decode(bytes, pieces: [bytes.count])
        let split = bytes.isEmpty ? 0 : (Int(bytes[0]) << 8 | Int(bytes[bytes.count - 1])) % (bytes.count + 1)
        let twice = decode(bytes, pieces: [split, bytes.count - split])
        FuzzFailure.require(whole == twice, "a chunked body decodes whole to \(whole) but split at \(split) to \(twice)")
        let bytewise = decode(bytes, pieces: bytewise(bytes.count))
        FuzzFailure.require(whole == bytewise, "a chunked body decodes whole to \(whole) but a byte at a time to \(bytewise)")
        FuzzFailure.require(!(whole.complete && whole.malformed), "a chunked body is both complete and malformed")
    }

    struct ChunkedOutcome: Equatable, CustomStringConvertible {
        var data: [UInt8]
        var complete: Bool
        var malformed: Bool
        var consumed: Int

        var description: String { "\(data.count) data bytes, complete: \(complete), malformed: \(malformed), \(consumed) bytes read" }
    }

    static func bytewise(_ count: Int) -> [Int] { Array(repeating: 1, count: count) }

    /// Decodes `bytes` arriving in pieces of the given sizes, each piece a buffer of its own (what
    /// is left unread of a piece is the next message's, so nothing is carried over).
    static func decode(_ bytes: [UInt8], pieces: [Int]) -> ChunkedOutcome {
        var decoder = ChunkedBodyDecoder()
        var outcome = ChunkedOutcome(data: [], complete: false, malformed: false, consumed: 0)
        let all = ByteBuffer(bytes: bytes)
        var offset = 0
        for size in pieces {
            var piece = all.getSlice(at: offset, length: size)!
            offset += size
            do {
                outcome.complete = try decoder.decode(&piece) { outcome.data.append(contentsOf: $0.readableBytesView) }
            } catch {
                outcome.malformed = true
            }
            outcome.consumed += piece.readerIndex
            FuzzFailure.require(outcome.malformed || outcome.complete || piece.readableBytes == 0, "the decoder stopped early without ending")
            FuzzFailure.require(outcome.malformed || decoder.isComplete == outcome.complete, "decode returned \(outcome.complete) but isComplete is \(decoder.isComplete)")
            if outcome.malformed || outcome.complete { break }
        }
        return outcome
    }

    // MARK: - Bytes

    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let crlfcrlf: [UInt8] = [cr, lf, cr, lf]

    /// `tchar` of RFC 9110 §5.6.2.
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// Not CR, LF, NUL or another control byte, tab aside (obs-text, 0x80 and up, is allowed).
    static func isFieldValueByte(_ byte: UInt8) -> Bool { byte == tab || (byte >= space && byte != 0x7F) }

    // MARK: - Reading ShareCore's results

    /// How a ``BodyFraming`` delimits a body, without its decoder state.
    enum FramingKind: Equatable {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    static func kind(of framing: BodyFraming) -> FramingKind {
        switch framing {
        case .none: .none
        case .length(let remaining): .length(remaining)
        case .chunked: .chunked
        case .untilClose: .untilClose
        }
    }

    /// A field's offsets as `Int`, to index the head's bytes with.
    struct FieldOffsets {
        let nameStart: Int
        let nameEnd: Int
        let valueStart: Int
        let valueEnd: Int

        init(_ field: HTTPMessageHead.Field) {
            nameStart = Int(field.nameStart)
            nameEnd = Int(field.nameEnd)
            valueStart = Int(field.valueStart)
            valueEnd = Int(field.valueEnd)
        }
    }
}
