import NIOCore
import Testing

@testable import ShareCore

@Suite("HTTPHeadParser")
struct HTTPHeadParserTests {
    /// Thrown by the helpers when `headLength` finds no complete head (so a refusal test cannot
    /// pass by accident on an incomplete input).
    struct IncompleteHead: Error {}

    /// The head at the start of `text`, measured by `headLength` as the gateway measures it.
    static func measuredHead(_ text: String, limit: Int = 64 * 1024) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: text)
        var scanned = 0
        guard let length = try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: limit) else { throw IncompleteHead() }
        return buffer.readSlice(length: length)!
    }

    static func request(_ text: String) throws -> ParsedRequestHead {
        try HTTPHeadParser.parseRequest(measuredHead(text))
    }

    static func response(_ text: String) throws -> ParsedResponseHead {
        try HTTPHeadParser.parseResponse(measuredHead(text))
    }

    static func isMalformed(_ error: HTTPHeadParser.Failure?) -> Bool {
        if case .malformed? = error { return true }
        return false
    }

    static func reason(of response: ParsedResponseHead) -> String {
        response.head.bytes.getString(at: response.head.bytes.readerIndex + Int(response.reason.start), length: Int(response.reason.end - response.reason.start)) ?? "<out of range>"
    }

    // MARK: Request heads

    @Test("a request head parses into method, target, version and fields")
    func requestHeadParses() throws {
        let request = try Self.request("POST /oauth/token?x=1 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n")
        #expect(request.method == "POST")
        #expect(request.target == "/oauth/token?x=1")
        #expect(request.minorVersion == 1)
        #expect(request.head.fields.count == 3)
        #expect(request.head.name(at: 0) == "Host")
        #expect(request.head.value(at: 0) == "api.example.com")
        #expect(request.head.name(at: 1) == "Content-Type")
        #expect(request.head.value(at: 1) == "application/json")
        #expect(request.head.name(at: 2) == "Content-Length")
        #expect(request.head.value(at: 2) == "12")
        #expect(request.head.value("host") == "api.example.com")
        #expect(request.head.value("content-length") == "12")
    }

    @Test("an HTTP/1.0 request line gives minor version 0")
    func http10Request() throws {
        let request = try Self.request("GET /index.html HTTP/1.0\r\n\r\n")
        #expect(request.method == "GET")
        #expect(request.target == "/index.html")
        #expect(request.minorVersion == 0)
        #expect(request.head.fields.isEmpty)
    }

    @Test("methods and targets are kept exactly as sent", arguments: [
        ("OPTIONS * HTTP/1.1\r\n\r\n", "OPTIONS", "*"),
        ("get / HTTP/1.1\r\n\r\n", "get", "/"),
        ("M-SEARCH /a HTTP/1.1\r\n\r\n", "M-SEARCH", "/a"),
        ("GET http://example.com:8080/a/b?c=d&e=%20 HTTP/1.1\r\n\r\n", "GET", "http://example.com:8080/a/b?c=d&e=%20"),
        ("CONNECT example.com:443 HTTP/1.1\r\n\r\n", "CONNECT", "example.com:443"),
    ])
    func methodsAndTargetsKept(head: String, method: String, target: String) throws {
        let request = try Self.request(head)
        #expect(request.method == method)
        #expect(request.target == target)
    }

    @Test("field values are trimmed of surrounding spaces and tabs but keep inner whitespace")
    func valuesTrimmed() throws {
        let request = try Self.request("GET / HTTP/1.1\r\nX-A:   spaced  \r\nX-B:\t\ttabbed\t \r\nX-C:nospace\r\nX-D: inner \t space\r\nX-E:   \r\nX-F:\r\n\r\n")
        #expect(request.head.value("x-a") == "spaced")
        #expect(request.head.value("x-b") == "tabbed")
        #expect(request.head.value("x-c") == "nospace")
        #expect(request.head.value("x-d") == "inner \t space")
        #expect(request.head.value("x-e") == "")
        #expect(request.head.value("x-f") == "")
        #expect(request.head.value(at: 0) == "spaced")
    }

    @Test("field names match whatever their case; other names do not")
    func namesCaseInsensitive() throws {
        let request = try Self.request("GET / HTTP/1.1\r\nCONTENT-type: text/plain\r\nx-Request-ID: abc\r\n\r\n")
        #expect(request.head.contains("content-type"))
        #expect(request.head.contains("x-request-id"))
        #expect(request.head.value("content-type") == "text/plain")
        #expect(request.head.value("x-request-id") == "abc")
        #expect(request.head.name(at: 0) == "CONTENT-type")
        #expect(request.head.firstIndex(of: "x-request-id") == 1)
        #expect(!request.head.contains("content-typ"))
        #expect(!request.head.contains("content-types"))
        #expect(!request.head.contains("content_type"))
        #expect(!request.head.contains("host"))
        #expect(request.head.value("host") == nil)
        #expect(request.head.firstIndex(of: "host") == nil)
        #expect(request.head.count(of: "host") == 0)
    }

    @Test("repeated fields are counted and their values joined with a comma and a space")
    func repeatedFields() throws {
        let request = try Self.request("GET / HTTP/1.1\r\nAccept: text/html\r\nHost: a\r\naccept: application/json \r\nACCEPT:  */*\r\n\r\n")
        #expect(request.head.count(of: "accept") == 3)
        #expect(request.head.count(of: "host") == 1)
        #expect(request.head.value("accept") == "text/html, application/json, */*")
        #expect(request.head.firstIndex(of: "accept") == 0)
    }

    @Test("listContains finds a token in a comma-separated list, ignoring case and whitespace")
    func listContains() throws {
        let request = try Self.request("GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nX-List: a,b ,\tC\t, , d e\r\n\r\n")
        #expect(request.head.listContains("connection", token: "keep-alive"))
        #expect(request.head.listContains("connection", token: "upgrade"))
        #expect(!request.head.listContains("connection", token: "close"))
        #expect(!request.head.listContains("connection", token: "keep"))
        #expect(!request.head.listContains("connection", token: "keep-alive, upgrade"))
        #expect(request.head.listContains("x-list", token: "a"))
        #expect(request.head.listContains("x-list", token: "b"))
        #expect(request.head.listContains("x-list", token: "c"))
        #expect(request.head.listContains("x-list", token: "d e"))
        #expect(!request.head.listContains("x-list", token: "d"))
        #expect(!request.head.listContains("upgrade", token: "keep-alive"))
    }

    @Test("listContains looks through every field of that name")
    func listContainsRepeated() throws {
        let request = try Self.request("GET / HTTP/1.1\r\nConnection: Upgrade\r\nHost: a\r\nconnection: CLOSE\r\n\r\n")
        #expect(request.head.listContains("connection", token: "upgrade"))
        #expect(request.head.listContains("connection", token: "close"))
        #expect(!request.isKeepAlive)
    }

    @Test("a field value may carry bytes of 0x80 and above (obs-text)")
    func obsTextAccepted() throws {
        let request = try Self.request("GET / HTTP/1.1\r\nX-Name: café ☕︎\r\n\r\n")
        #expect(request.head.value("x-name") == "café ☕︎")
    }

    struct KeepAliveCase: CustomTestStringConvertible, Sendable {
        let version: String
        let connection: String?
        let keepAlive: Bool
        var testDescription: String { "\(version) Connection: \(connection ?? "(none)") → \(keepAlive)" }
    }

    @Test("isKeepAlive follows the version's default and the Connection field", arguments: [
        KeepAliveCase(version: "HTTP/1.1", connection: nil, keepAlive: true),
        KeepAliveCase(version: "HTTP/1.1", connection: "close", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.1", connection: "Close", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.1", connection: "keep-alive, close", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.1", connection: "keep-alive", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.1", connection: "closed", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.1", connection: "upgrade", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: nil, keepAlive: false),
        KeepAliveCase(version: "HTTP/1.0", connection: "keep-alive", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: "Keep-Alive", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: "upgrade,  keep-alive ", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: "keep-alives", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.0", connection: "close", keepAlive: false),
    ])
    func keepAlive(_ testCase: KeepAliveCase) throws {
        let field = testCase.connection.map { "Connection: \($0)\r\n" } ?? ""
        let request = try Self.request("GET / \(testCase.version)\r\nHost: a\r\n\(field)\r\n")
        #expect(request.isKeepAlive == testCase.keepAlive)
        let response = try Self.response("\(testCase.version) 200 OK\r\n\(field)\r\n")
        #expect(response.isKeepAlive == testCase.keepAlive)
    }

    // MARK: Measuring a head

    @Test("headLength is nil while the head is incomplete")
    func headLengthIncomplete() throws {
        for text in ["", "G", "GET / HTTP/1.1", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\r"] {
            var scanned = 0
            #expect(try HTTPHeadParser.headLength(of: ByteBuffer(string: text), scanned: &scanned, limit: 1024) == nil, "\(text.debugDescription)")
        }
    }

    @Test("headLength is the exact length of the head, leaving a body out")
    func headLengthLeavesBodyOut() throws {
        let head = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\n"
        var buffer = ByteBuffer(string: head + "hello")
        var scanned = 0
        let length = try #require(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024))
        #expect(length == head.utf8.count)
        let request = try HTTPHeadParser.parseRequest(buffer.readSlice(length: length)!)
        #expect(request.method == "POST")
        #expect(request.head.value("content-length") == "5")
        #expect(buffer.readString(length: buffer.readableBytes) == "hello")
    }

    @Test("headLength measures only the first of pipelined requests, and then the second")
    func headLengthPipelined() throws {
        let first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
        let second = "GET /two HTTP/1.1\r\nHost: b\r\nX-A: 1\r\n\r\n"
        var buffer = ByteBuffer(string: first + second)
        var scanned = 0
        let firstLength = try #require(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024))
        #expect(firstLength == first.utf8.count)
        let one = try HTTPHeadParser.parseRequest(buffer.readSlice(length: firstLength)!)
        #expect(one.target == "/one")
        #expect(one.head.value("host") == "a")

        scanned = 0
        let secondLength = try #require(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024))
        #expect(secondLength == second.utf8.count)
        let two = try HTTPHeadParser.parseRequest(buffer.readSlice(length: secondLength)!)
        #expect(two.target == "/two")
        #expect(two.head.value("host") == "b")
        #expect(two.head.value("x-a") == "1")
        #expect(buffer.readableBytes == 0)
    }

    @Test("a head fed one byte at a time is found exactly when its last byte arrives")
    func headLengthByteAtATime() throws {
        let head = "GET /a HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nAccept: */*\r\n\r\n"
        let bytes = Array((head + "BODY").utf8)
        var buffer = ByteBuffer()
        var scanned = 0
        var found: Int?
        for (offset, byte) in bytes.enumerated() {
            buffer.writeInteger(byte)
            found = try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024)
            if let found {
                #expect(offset == head.utf8.count - 1)
                #expect(found == head.utf8.count)
                break
            }
        }
        let length = try #require(found)
        #expect(length == head.utf8.count)
        let request = try HTTPHeadParser.parseRequest(buffer.readSlice(length: length)!)
        #expect(request.head.value("accept") == "*/*")
    }

    @Test("a head split in two at any byte is found once the second piece arrives")
    func headLengthAnySplit() throws {
        let head = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        for split in 0..<head.count {
            var buffer = ByteBuffer(bytes: head[0..<split])
            var scanned = 0
            #expect(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024) == nil, "split at \(split)")
            buffer.writeBytes(head[split...])
            #expect(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024) == head.count, "split at \(split)")
        }
    }

    @Test("a bare LF is refused even when it arrives on its own")
    func bareLFByteAtATime() throws {
        let beforeBareLF = "GET / HTTP/1.1\r\nHost: a"
        let bytes = Array((beforeBareLF + "\nX: b\r\n\r\n").utf8)
        let bareOffset = beforeBareLF.utf8.count
        var buffer = ByteBuffer()
        var scanned = 0
        for (offset, byte) in bytes.enumerated() {
            buffer.writeInteger(byte)
            if offset < bareOffset {
                #expect(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024) == nil)
            } else {
                let error = #expect(throws: HTTPHeadParser.Failure.self) { try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024) }
                #expect(Self.isMalformed(error))
                break
            }
        }
    }

    @Test("headLength counts from the reader index")
    func headLengthFromReaderIndex() throws {
        let head = "GET / HTTP/1.1\r\n\r\n"
        var buffer = ByteBuffer(string: "IGNORED" + head)
        buffer.moveReaderIndex(forwardBy: 7)
        var scanned = 0
        #expect(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024) == head.utf8.count)
    }

    @Test("an incomplete head longer than the limit is too large")
    func incompleteHeadTooLarge() throws {
        let buffer = ByteBuffer(string: "GET / HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: 200))
        var scanned = 0
        #expect(throws: HTTPHeadParser.Failure.tooLarge) { try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 100) }
    }

    @Test("an incomplete head growing a byte at a time past the limit becomes too large")
    func growingHeadTooLarge() throws {
        var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        var scanned = 0
        var threw = false
        for _ in 0..<200 {
            buffer.writeString("a")
            do throws(HTTPHeadParser.Failure) {
                _ = try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 100)
            } catch {
                #expect(error == .tooLarge)
                #expect(buffer.readableBytes > 100)
                #expect(buffer.readableBytes <= 101)
                threw = true
                break
            }
        }
        #expect(threw)
    }

    @Test("a complete head longer than the limit is too large; one exactly at the limit is not")
    func completeHeadLimit() throws {
        let head = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"
        let buffer = ByteBuffer(string: head + "more bytes after the head")
        var scanned = 0
        #expect(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: head.utf8.count) == head.utf8.count)
        scanned = 0
        #expect(throws: HTTPHeadParser.Failure.tooLarge) { try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: head.utf8.count - 1) }
    }

    @Test("skipLeadingEmptyLines drops the CRLFs before a request line and nothing else")
    func skipLeadingEmptyLines() throws {
        var buffer = ByteBuffer(string: "\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        HTTPHeadParser.skipLeadingEmptyLines(&buffer)
        #expect(String(buffer: buffer) == "GET / HTTP/1.1\r\n\r\n")
        var scanned = 0
        let length = try #require(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024))
        #expect(try HTTPHeadParser.parseRequest(buffer.readSlice(length: length)!).method == "GET")

        var untouched = ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n")
        HTTPHeadParser.skipLeadingEmptyLines(&untouched)
        #expect(String(buffer: untouched) == "GET / HTTP/1.1\r\n\r\n")

        var lone = ByteBuffer(string: "\r\n\r")
        HTTPHeadParser.skipLeadingEmptyLines(&lone)
        #expect(String(buffer: lone) == "\r")

        var bareLF = ByteBuffer(string: "\n\r\nGET")
        HTTPHeadParser.skipLeadingEmptyLines(&bareLF)
        #expect(String(buffer: bareLF) == "\n\r\nGET")

        var empty = ByteBuffer()
        HTTPHeadParser.skipLeadingEmptyLines(&empty)
        #expect(empty.readableBytes == 0)
    }

    // MARK: Refusals

    struct Refusal: CustomTestStringConvertible, Sendable {
        let why: String
        let head: String
        var testDescription: String { why }
    }

    @Test("malformed request heads are refused", arguments: [
        Refusal(why: "bare LF ending the request line", head: "GET / HTTP/1.1\nHost: a\r\n\r\n"),
        Refusal(why: "bare LF ending a field line", head: "GET / HTTP/1.1\r\nHost: a\n\r\n"),
        Refusal(why: "bare LF inside a value", head: "GET / HTTP/1.1\r\nX-A: a\nb\r\n\r\n"),
        Refusal(why: "bare LF ending the head", head: "GET / HTTP/1.1\r\nHost: a\r\n\n\r\n\r\n"),
        Refusal(why: "obsolete line folding with a space", head: "GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n"),
        Refusal(why: "obsolete line folding with a tab", head: "GET / HTTP/1.1\r\nX-A: one\r\n\ttwo\r\n\r\n"),
        Refusal(why: "a space before the first field", head: "GET / HTTP/1.1\r\n Host: a\r\n\r\n"),
        Refusal(why: "a space between field name and colon", head: "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
        Refusal(why: "a tab between field name and colon", head: "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n"),
        Refusal(why: "an empty field name", head: "GET / HTTP/1.1\r\n: a\r\n\r\n"),
        Refusal(why: "a field line without a colon", head: "GET / HTTP/1.1\r\nHost a\r\n\r\n"),
        Refusal(why: "a non-token character in a field name", head: "GET / HTTP/1.1\r\nX(A): a\r\n\r\n"),
        Refusal(why: "a non-ASCII field name", head: "GET / HTTP/1.1\r\nX-Café: a\r\n\r\n"),
        Refusal(why: "a NUL in a value", head: "GET / HTTP/1.1\r\nX-A: a\u{0}b\r\n\r\n"),
        Refusal(why: "a \\x01 in a value", head: "GET / HTTP/1.1\r\nX-A: a\u{01}b\r\n\r\n"),
        Refusal(why: "a vertical tab in a value", head: "GET / HTTP/1.1\r\nX-A: a\u{0B}\r\n\r\n"),
        Refusal(why: "a DEL in a value", head: "GET / HTTP/1.1\r\nX-A: a\u{7F}b\r\n\r\n"),
        Refusal(why: "a bare CR inside a value", head: "GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n"),
        Refusal(why: "a bare CR at the end of a value", head: "GET / HTTP/1.1\r\nX-A: a\r\r\n\r\n"),
        Refusal(why: "a bare CR on a line of its own", head: "GET / HTTP/1.1\r\nX-A: a\r\n\rX\r\n\r\n"),
        Refusal(why: "a bare CR ending the request line", head: "GET / HTTP/1.1\rX\r\n\r\n"),
        Refusal(why: "a space inside the request target", head: "GET /a b HTTP/1.1\r\n\r\n"),
        Refusal(why: "a missing request target", head: "GET HTTP/1.1\r\n\r\n"),
        Refusal(why: "an empty request target", head: "GET  HTTP/1.1\r\n\r\n"),
        Refusal(why: "a non-ASCII request target", head: "GET /é HTTP/1.1\r\n\r\n"),
        Refusal(why: "a control byte in the request target", head: "GET /a\u{01}b HTTP/1.1\r\n\r\n"),
        Refusal(why: "a lowercase version", head: "GET / http/1.1\r\n\r\n"),
        Refusal(why: "garbage instead of a version", head: "GET / FOO/1.1\r\n\r\n"),
        Refusal(why: "a version without a dot", head: "GET / HTTP/11\r\n\r\n"),
        Refusal(why: "a version with letters", head: "GET / HTTP/x.y\r\n\r\n"),
        Refusal(why: "a truncated version", head: "GET / HTTP/1.\r\n\r\n"),
        Refusal(why: "a missing version", head: "GET /\r\n\r\n"),
        Refusal(why: "an empty version", head: "GET / \r\n\r\n"),
        Refusal(why: "a space after the version", head: "GET / HTTP/1.1 \r\n\r\n"),
        Refusal(why: "something after the version", head: "GET / HTTP/1.1x\r\n\r\n"),
        Refusal(why: "a method with a non-token character", head: "GE(T / HTTP/1.1\r\n\r\n"),
        Refusal(why: "a space before the method", head: " GET / HTTP/1.1\r\n\r\n"),
        Refusal(why: "a tab between method and target", head: "GET\t/ HTTP/1.1\r\n\r\n"),
        Refusal(why: "a method longer than 32 bytes", head: String(repeating: "A", count: 33) + " / HTTP/1.1\r\n\r\n"),
        Refusal(why: "an empty request line", head: "\r\n\r\n"),
    ])
    func malformedRequestsRefused(_ refusal: Refusal) {
        let error = #expect(throws: HTTPHeadParser.Failure.self) { try Self.request(refusal.head) }
        #expect(Self.isMalformed(error), "\(String(describing: error))")
    }

    @Test("a method of 32 bytes is accepted")
    func longestMethod() throws {
        let method = String(repeating: "A", count: 32)
        #expect(try Self.request("\(method) / HTTP/1.1\r\n\r\n").method == method)
    }

    @Test("versions other than HTTP/1.0 and HTTP/1.1 are unsupported", arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/1.9", "HTTP/0.9", "HTTP/3.0"])
    func unsupportedVersions(version: String) {
        #expect(throws: HTTPHeadParser.Failure.unsupportedVersion) { try Self.request("GET / \(version)\r\nHost: a\r\n\r\n") }
        #expect(throws: HTTPHeadParser.Failure.unsupportedVersion) { try Self.response("\(version) 200 OK\r\n\r\n") }
    }

    @Test("up to maximumFieldCount fields are read; one more is too large")
    func fieldCountLimit() throws {
        func head(fields count: Int) -> String {
            "GET / HTTP/1.1\r\n" + (0..<count).map { "X-Field-\($0): \($0)\r\n" }.joined() + "\r\n"
        }
        let maximum = HTTPHeadParser.maximumFieldCount
        let request = try Self.request(head(fields: maximum))
        #expect(request.head.fields.count == maximum)
        #expect(request.head.value(at: maximum - 1) == "\(maximum - 1)")
        #expect(throws: HTTPHeadParser.Failure.tooLarge) { try Self.request(head(fields: maximum + 1)) }
        #expect(throws: HTTPHeadParser.Failure.tooLarge) { try Self.response("HTTP/1.1 200 OK\r\n" + (0...maximum).map { "X-\($0): a\r\n" }.joined() + "\r\n") }
    }

    // MARK: Response heads

    @Test("a response head parses into version, status, reason and fields")
    func responseHeadParses() throws {
        let response = try Self.response("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length:  42 \r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n")
        #expect(response.minorVersion == 1)
        #expect(response.status == 200)
        #expect(Self.reason(of: response) == "OK")
        #expect(response.head.fields.count == 4)
        #expect(response.head.value("content-type") == "application/json")
        #expect(response.head.value("content-length") == "42")
        #expect(response.head.count(of: "set-cookie") == 2)
        #expect(response.head.value("set-cookie") == "a=1, b=2")
        #expect(response.head.name(at: 3) == "set-cookie")
    }

    @Test("an HTTP/1.0 response with a reason of several words")
    func http10Response() throws {
        let response = try Self.response("HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\n")
        #expect(response.minorVersion == 0)
        #expect(response.status == 404)
        #expect(Self.reason(of: response) == "Not Found")
        #expect(response.head.value("server") == "x")
    }

    @Test("a status line without a reason gives an empty reason", arguments: ["HTTP/1.1 204\r\n\r\n", "HTTP/1.1 204 \r\n\r\n", "HTTP/1.1 204\r\nX-A: b\r\n\r\n"])
    func responseWithoutReason(head: String) throws {
        let response = try Self.response(head)
        #expect(response.status == 204)
        #expect(response.reason.start <= response.reason.end)
        #expect(Self.reason(of: response) == "")
    }

    @Test("the reason phrase may hold tabs, spaces and obs-text")
    func reasonCharacters() throws {
        let response = try Self.response("HTTP/1.1 599 Weird\tReason ü\r\n\r\n")
        #expect(response.status == 599)
        #expect(Self.reason(of: response) == "Weird\tReason ü")
    }

    @Test("the reason is read relative to the head's reader index")
    func reasonFromSlicedHead() throws {
        var buffer = ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x\r\n\r\n")
        var scanned = 0
        let firstLength = try #require(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024))
        let first = try HTTPHeadParser.parseResponse(buffer.readSlice(length: firstLength)!)
        scanned = 0
        let secondLength = try #require(try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: 1024))
        let second = try HTTPHeadParser.parseResponse(buffer.readSlice(length: secondLength)!)
        #expect(first.status == 100)
        #expect(Self.reason(of: first) == "Continue")
        #expect(second.status == 201)
        #expect(Self.reason(of: second) == "Created")
        #expect(second.head.value("location") == "/x")
        let bytes = Array(second.head.bytes.readableBytesView)
        #expect(String(decoding: bytes[Int(second.reason.start)..<Int(second.reason.end)], as: UTF8.self) == "Created")
    }

    @Test("malformed status lines are refused", arguments: [
        Refusal(why: "a two-digit status", head: "HTTP/1.1 20 OK\r\n\r\n"),
        Refusal(why: "a four-digit status", head: "HTTP/1.1 2000 OK\r\n\r\n"),
        Refusal(why: "letters for a status", head: "HTTP/1.1 abc OK\r\n\r\n"),
        Refusal(why: "a letter in the status", head: "HTTP/1.1 2x0 OK\r\n\r\n"),
        Refusal(why: "two spaces before the status", head: "HTTP/1.1  200 OK\r\n\r\n"),
        Refusal(why: "a tab before the reason", head: "HTTP/1.1 200\tOK\r\n\r\n"),
        Refusal(why: "no status at all", head: "HTTP/1.1\r\n\r\n"),
        Refusal(why: "a lowercase version", head: "http/1.1 200 OK\r\n\r\n"),
        Refusal(why: "garbage instead of a version", head: "HTTQ/1.1 200 OK\r\n\r\n"),
        Refusal(why: "a control byte in the reason", head: "HTTP/1.1 200 O\u{01}K\r\n\r\n"),
        Refusal(why: "a NUL in the reason", head: "HTTP/1.1 200 O\u{0}K\r\n\r\n"),
        Refusal(why: "a bare LF ending the status line", head: "HTTP/1.1 200 OK\nX-A: b\r\n\r\n"),
        Refusal(why: "a bare CR inside a field value", head: "HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n"),
        Refusal(why: "obsolete line folding", head: "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n\r\n"),
        Refusal(why: "a space before a colon", head: "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n"),
        // A status line ending in a bare CR is refused, as a request line is.
        Refusal(why: "a bare CR ending the status line after a reason", head: "HTTP/1.1 200 OK\rX\r\n\r\n"),
        Refusal(why: "a bare CR ending the status line without a reason", head: "HTTP/1.1 204\rX\r\n\r\n"),
        Refusal(why: "a bare CR ending the status line, swallowing the first byte of a field line", head: "HTTP/1.1 200 OK\rXContent-Length: 5\r\n\r\n"),
    ])
    func malformedResponsesRefused(_ refusal: Refusal) {
        let error = #expect(throws: HTTPHeadParser.Failure.self) { try Self.response(refusal.head) }
        #expect(Self.isMalformed(error), "\(String(describing: error))")
    }
}
