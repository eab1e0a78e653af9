import NIOCore
import Testing

@testable import ShareCore

@Suite("BodyFraming")
struct BodyFramingTests {
    /// A framing, reduced to something comparable.
    enum Kind: Equatable, Sendable {
        case none
        case length(Int)
        case chunked
        case untilClose
        case refused
    }

    struct IncompleteHead: Error {}

    static func kind(_ framing: BodyFraming) -> Kind {
        switch framing {
        case .none: .none
        case .length(let remaining): .length(remaining)
        case .chunked: .chunked
        case .untilClose: .untilClose
        }
    }

    static func measured(_ text: String) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: text)
        var scanned = 0
        guard let length = try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 64 * 1024) else { throw IncompleteHead() }
        return buffer.readSlice(length: length)!
    }

    static func request(_ version: String = "HTTP/1.1", method: String = "POST", fields: [String]) throws -> ParsedRequestHead {
        try HTTPHeadParser.parseRequest(measured("\(method) /a \(version)\r\nHost: example.com\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n"))
    }

    static func response(_ statusLine: String, fields: [String]) throws -> ParsedResponseHead {
        try HTTPHeadParser.parseResponse(measured(statusLine + "\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n"))
    }

    /// The framing of a request, or `.refused` if `BodyFraming` refused it as malformed.
    static func requestKind(_ request: ParsedRequestHead) -> Kind {
        do throws(HTTPHeadParser.Failure) {
            return kind(try BodyFraming.request(request))
        } catch {
            guard case .malformed = error else {
                Issue.record("refused with \(error) rather than as malformed")
                return .refused
            }
            return .refused
        }
    }

    static func responseKind(_ response: ParsedResponseHead, method: String) -> Kind {
        do throws(HTTPHeadParser.Failure) {
            return kind(try BodyFraming.response(response, requestMethod: method))
        } catch {
            guard case .malformed = error else {
                Issue.record("refused with \(error) rather than as malformed")
                return .refused
            }
            return .refused
        }
    }

    // MARK: Requests

    struct RequestCase: CustomTestStringConvertible, Sendable {
        let why: String
        var version = "HTTP/1.1"
        let fields: [String]
        let expected: Kind
        var testDescription: String { why }
    }

    @Test("a request's framing follows its Content-Length and Transfer-Encoding", arguments: [
        RequestCase(why: "no length means no body", fields: [], expected: .none),
        RequestCase(why: "Content-Length: 0 means no body", fields: ["Content-Length: 0"], expected: .none),
        RequestCase(why: "Content-Length: 12", fields: ["Content-Length: 12"], expected: .length(12)),
        RequestCase(why: "Content-Length with surrounding whitespace", fields: ["Content-Length: \t12 "], expected: .length(12)),
        RequestCase(why: "Content-Length with leading zeros", fields: ["Content-Length: 0012"], expected: .length(12)),
        RequestCase(why: "Content-Length in any case", fields: ["CONTENT-LENGTH: 7"], expected: .length(7)),
        RequestCase(why: "18 digits of Content-Length", fields: ["Content-Length: 999999999999999999"], expected: .length(999_999_999_999_999_999)),
        RequestCase(why: "two identical Content-Length fields", fields: ["Content-Length: 12", "content-length: 12"], expected: .length(12)),
        RequestCase(why: "Content-Length in an HTTP/1.0 request", version: "HTTP/1.0", fields: ["Content-Length: 3"], expected: .length(3)),
        RequestCase(why: "Transfer-Encoding: chunked", fields: ["Transfer-Encoding: chunked"], expected: .chunked),
        RequestCase(why: "Transfer-Encoding: CHUNKED", fields: ["transfer-encoding: CHUNKED"], expected: .chunked),
        RequestCase(why: "Transfer-Encoding: Chunked with whitespace", fields: ["Transfer-Encoding:  Chunked\t"], expected: .chunked),
    ])
    func requestFraming(_ testCase: RequestCase) throws {
        let request = try Self.request(testCase.version, fields: testCase.fields)
        #expect(Self.requestKind(request) == testCase.expected)
    }

    @Test("ambiguous or malformed request framing is refused", arguments: [
        RequestCase(why: "differing Content-Length fields", fields: ["Content-Length: 12", "Content-Length: 13"], expected: .refused),
        RequestCase(why: "differing Content-Length fields, one of them zero", fields: ["Content-Length: 0", "Content-Length: 5"], expected: .refused),
        RequestCase(why: "a non-numeric Content-Length", fields: ["Content-Length: twelve"], expected: .refused),
        RequestCase(why: "a Content-Length with a suffix", fields: ["Content-Length: 12abc"], expected: .refused),
        RequestCase(why: "a hexadecimal Content-Length", fields: ["Content-Length: 0x10"], expected: .refused),
        RequestCase(why: "a negative Content-Length", fields: ["Content-Length: -1"], expected: .refused),
        RequestCase(why: "a Content-Length with a plus sign", fields: ["Content-Length: +12"], expected: .refused),
        RequestCase(why: "a fractional Content-Length", fields: ["Content-Length: 1.5"], expected: .refused),
        RequestCase(why: "a Content-Length with an inner space", fields: ["Content-Length: 1 2"], expected: .refused),
        RequestCase(why: "an empty Content-Length", fields: ["Content-Length: "], expected: .refused),
        RequestCase(why: "an empty Content-Length beside a valid one", fields: ["Content-Length: 5", "Content-Length:"], expected: .refused),
        RequestCase(why: "a Content-Length of 19 digits", fields: ["Content-Length: 1234567890123456789"], expected: .refused),
        RequestCase(why: "a Content-Length past Int.max", fields: ["Content-Length: 99999999999999999999999"], expected: .refused),
        RequestCase(why: "Transfer-Encoding with Content-Length", fields: ["Transfer-Encoding: chunked", "Content-Length: 5"], expected: .refused),
        RequestCase(why: "Content-Length with Transfer-Encoding", fields: ["Content-Length: 5", "Transfer-Encoding: chunked"], expected: .refused),
        RequestCase(why: "Transfer-Encoding: gzip, chunked", fields: ["Transfer-Encoding: gzip, chunked"], expected: .refused),
        RequestCase(why: "Transfer-Encoding: identity", fields: ["Transfer-Encoding: identity"], expected: .refused),
        RequestCase(why: "Transfer-Encoding: gzip", fields: ["Transfer-Encoding: gzip"], expected: .refused),
        RequestCase(why: "an empty Transfer-Encoding", fields: ["Transfer-Encoding: "], expected: .refused),
        RequestCase(why: "Transfer-Encoding: chunked, chunked", fields: ["Transfer-Encoding: chunked, chunked"], expected: .refused),
        RequestCase(why: "Transfer-Encoding: chunked given twice", fields: ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], expected: .refused),
        RequestCase(why: "Transfer-Encoding: chunked and then gzip", fields: ["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"], expected: .refused),
        RequestCase(why: "Transfer-Encoding: chunked with a parameter", fields: ["Transfer-Encoding: chunked;q=1"], expected: .refused),
        RequestCase(why: "Transfer-Encoding in an HTTP/1.0 request", version: "HTTP/1.0", fields: ["Transfer-Encoding: chunked"], expected: .refused),
        // Fuzz finding: a Unicode case mapping turned the Kelvin sign (U+212A) into "k".
        RequestCase(why: "chunked spelled with a Kelvin sign", fields: ["Transfer-Encoding: chun\u{212A}ed"], expected: .refused),
        RequestCase(why: "chunked followed by a no-break space", fields: ["Transfer-Encoding: chunked\u{A0}"], expected: .refused),
    ])
    func requestFramingRefused(_ testCase: RequestCase) throws {
        let request = try Self.request(testCase.version, fields: testCase.fields)
        #expect(Self.requestKind(request) == .refused)
    }

    @Test("a GET with no length has no body")
    func getHasNoBody() throws {
        let request = try Self.request(method: "GET", fields: [])
        let framing = try BodyFraming.request(request)
        guard case .none = framing else {
            Issue.record("expected .none, got \(framing)")
            return
        }
    }

    // MARK: Responses

    struct ResponseCase: CustomTestStringConvertible, Sendable {
        let why: String
        var method = "GET"
        let statusLine: String
        let fields: [String]
        let expected: Kind
        var testDescription: String { why }
    }

    @Test("a response's framing follows the request method, the status and its fields", arguments: [
        ResponseCase(why: "a response to HEAD has no body despite Content-Length", method: "HEAD", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: 42"], expected: .none),
        ResponseCase(why: "a response to HEAD has no body despite chunking", method: "HEAD", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked"], expected: .none),
        ResponseCase(why: "a response to HEAD with no fields has no body", method: "HEAD", statusLine: "HTTP/1.1 200 OK", fields: [], expected: .none),
        ResponseCase(why: "204 has no body despite Content-Length", statusLine: "HTTP/1.1 204 No Content", fields: ["Content-Length: 42"], expected: .none),
        ResponseCase(why: "304 has no body despite Content-Length", statusLine: "HTTP/1.1 304 Not Modified", fields: ["Content-Length: 42"], expected: .none),
        ResponseCase(why: "304 has no body despite chunking", statusLine: "HTTP/1.1 304 Not Modified", fields: ["Transfer-Encoding: chunked"], expected: .none),
        ResponseCase(why: "100 has no body despite Content-Length", statusLine: "HTTP/1.1 100 Continue", fields: ["Content-Length: 42"], expected: .none),
        ResponseCase(why: "103 has no body", statusLine: "HTTP/1.1 103 Early Hints", fields: ["Link: </a>"], expected: .none),
        ResponseCase(why: "101 has no body", statusLine: "HTTP/1.1 101 Switching Protocols", fields: ["Upgrade: websocket"], expected: .none),
        ResponseCase(why: "a chunked response", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked"], expected: .chunked),
        ResponseCase(why: "a chunked response in any case", statusLine: "HTTP/1.1 200 OK", fields: ["transfer-encoding: Chunked"], expected: .chunked),
        ResponseCase(why: "chunked as the last of several codings", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: gzip, chunked"], expected: .chunked),
        ResponseCase(why: "chunked as the last coding of a repeated field", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: gzip", "Transfer-Encoding: chunked"], expected: .chunked),
        ResponseCase(why: "chunking wins over Content-Length", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: 5", "Transfer-Encoding: chunked"], expected: .chunked),
        ResponseCase(why: "a coding after chunked reads until close", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked, gzip"], expected: .untilClose),
        ResponseCase(why: "a coding other than chunked reads until close", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: gzip"], expected: .untilClose),
        ResponseCase(why: "a coding other than chunked wins over Content-Length", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: gzip", "Content-Length: 5"], expected: .untilClose),
        ResponseCase(why: "neither field reads until close", statusLine: "HTTP/1.1 200 OK", fields: [], expected: .untilClose),
        ResponseCase(why: "an HTTP/1.0 response with neither field reads until close", statusLine: "HTTP/1.0 200 OK", fields: [], expected: .untilClose),
        ResponseCase(why: "Content-Length gives the length", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: 42"], expected: .length(42)),
        ResponseCase(why: "Content-Length of an error response", statusLine: "HTTP/1.1 404 Not Found", fields: ["Content-Length: 9"], expected: .length(9)),
        ResponseCase(why: "a response to POST with Content-Length", method: "POST", statusLine: "HTTP/1.1 201 Created", fields: ["Content-Length: 2"], expected: .length(2)),
        ResponseCase(why: "Content-Length: 0 has no body", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: 0"], expected: .none),
        ResponseCase(why: "two identical Content-Length fields", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: 3", "Content-Length: 3"], expected: .length(3)),
        ResponseCase(why: "differing Content-Length fields are refused", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: 3", "Content-Length: 4"], expected: .refused),
        ResponseCase(why: "a non-numeric Content-Length is refused", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: abc"], expected: .refused),
        ResponseCase(why: "a negative Content-Length is refused", statusLine: "HTTP/1.1 200 OK", fields: ["Content-Length: -3"], expected: .refused),
        // Fuzz findings: only ASCII spellings of chunked count; empty list elements do not.
        ResponseCase(why: "chunked spelled with a Kelvin sign reads until close", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chun\u{212A}ed"], expected: .untilClose),
        ResponseCase(why: "chunked followed by a no-break space reads until close", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked\u{A0}"], expected: .untilClose),
        ResponseCase(why: "an empty Transfer-Encoding after chunked leaves chunked last", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked", "Transfer-Encoding: "], expected: .chunked),
        ResponseCase(why: "an empty list element after chunked leaves chunked last", statusLine: "HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked, "], expected: .chunked),
    ])
    func responseFraming(_ testCase: ResponseCase) throws {
        let response = try Self.response(testCase.statusLine, fields: testCase.fields)
        #expect(Self.responseKind(response, method: testCase.method) == testCase.expected)
    }

    // MARK: Reading a body

    @Test("a length hands out exactly the remaining bytes over several reads and leaves the rest")
    func readLength() throws {
        var framing = BodyFraming.length(remaining: 10)
        var data: [UInt8] = []

        var first = ByteBuffer(string: "hel")
        #expect(try !framing.read(&first) { data += Array($0.readableBytesView) })
        #expect(first.readableBytes == 0)
        #expect(Self.kind(framing) == .length(7))

        var empty = ByteBuffer()
        #expect(try !framing.read(&empty) { data += Array($0.readableBytesView) })
        #expect(Self.kind(framing) == .length(7))

        var second = ByteBuffer(string: "lo wo")
        #expect(try !framing.read(&second) { data += Array($0.readableBytesView) })
        #expect(Self.kind(framing) == .length(2))

        var third = ByteBuffer(string: "rlGET / HTTP/1.1\r\n\r\n")
        #expect(try framing.read(&third) { data += Array($0.readableBytesView) })
        #expect(String(decoding: data, as: UTF8.self) == "hello worl")
        #expect(String(buffer: third) == "GET / HTTP/1.1\r\n\r\n")
        #expect(Self.kind(framing) == .length(0))
    }

    @Test("a length met exactly by one read completes with nothing left")
    func readLengthExactly() throws {
        var framing = BodyFraming.length(remaining: 5)
        var data: [UInt8] = []
        var buffer = ByteBuffer(string: "hello")
        #expect(try framing.read(&buffer) { data += Array($0.readableBytesView) })
        #expect(buffer.readableBytes == 0)
        #expect(String(decoding: data, as: UTF8.self) == "hello")
    }

    @Test("a complete length hands out nothing more")
    func readAfterLengthComplete() throws {
        var framing = BodyFraming.length(remaining: 2)
        var data: [UInt8] = []
        var buffer = ByteBuffer(string: "ab")
        #expect(try framing.read(&buffer) { data += Array($0.readableBytesView) })
        var more = ByteBuffer(string: "cd")
        #expect(try framing.read(&more) { data += Array($0.readableBytesView) })
        #expect(String(decoding: data, as: UTF8.self) == "ab")
        #expect(String(buffer: more) == "cd")
    }

    @Test("until close never completes and hands out everything")
    func readUntilClose() throws {
        var framing = BodyFraming.untilClose
        var data: [UInt8] = []
        for piece in ["HTTP/1.1 200 OK\r\n", "", "\r\n\r\n0\r\n\r\n", String(repeating: "z", count: 10_000)] {
            var buffer = ByteBuffer(string: piece)
            #expect(try !framing.read(&buffer) { data += Array($0.readableBytesView) })
            #expect(buffer.readableBytes == 0)
        }
        #expect(data.count == "HTTP/1.1 200 OK\r\n\r\n\r\n0\r\n\r\n".utf8.count + 10_000)
        #expect(String(decoding: data.prefix(17), as: UTF8.self) == "HTTP/1.1 200 OK\r\n")
        #expect(Self.kind(framing) == .untilClose)
    }

    @Test("no body is complete at once and leaves the buffer alone")
    func readNone() throws {
        var framing = BodyFraming.none
        var called = false
        var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n")
        #expect(try framing.read(&buffer) { _ in called = true })
        #expect(!called)
        #expect(String(buffer: buffer) == "GET / HTTP/1.1\r\n\r\n")
    }

    @Test("a chunked request body keeps its decoding state across reads")
    func readChunkedAcrossReads() throws {
        var framing = try BodyFraming.request(Self.request(fields: ["Transfer-Encoding: chunked"]))
        var data: [UInt8] = []
        var first = ByteBuffer(string: "5\r\nhel")
        #expect(try !framing.read(&first) { data += Array($0.readableBytesView) })
        var second = ByteBuffer(string: "lo\r\n6;x=y\r\n world\r")
        #expect(try !framing.read(&second) { data += Array($0.readableBytesView) })
        var third = ByteBuffer(string: "\n0\r\n\r\nNEXT")
        #expect(try framing.read(&third) { data += Array($0.readableBytesView) })
        #expect(String(decoding: data, as: UTF8.self) == "hello world")
        #expect(String(buffer: third) == "NEXT")
        guard case .chunked(let decoder) = framing else {
            Issue.record("expected .chunked, got \(framing)")
            return
        }
        #expect(decoder.isComplete)
    }

    @Test("a malformed chunked body is refused through read")
    func readChunkedMalformed() throws {
        var framing = try BodyFraming.response(Self.response("HTTP/1.1 200 OK", fields: ["Transfer-Encoding: chunked"]), requestMethod: "GET")
        var buffer = ByteBuffer(string: "5\r\nhelloXX")
        #expect(throws: ChunkedBodyDecoder.Failure.malformed) { try framing.read(&buffer) { _ in } }
    }
}
