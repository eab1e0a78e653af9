import NIOCore

/// The gateway's HTTP/1.1 reading (``HTTPHeadParser``, ``ChunkedBodyDecoder``, ``BodyFraming``,
/// internal to ShareGateway and compiled here from the same files) behind a public face for the
/// fuzz harness. Every call goes straight to the shipping code; only the results are copied out.
public enum HTTP1Parsing {
    public enum FailureKind: String, Equatable, Sendable {
        case malformed, tooLarge, unsupportedVersion
    }

    /// ``HTTPHeadParser/Failure``.
    public struct Failure: Error, Equatable, Sendable {
        public let kind: FailureKind
        public let message: String

        init(_ failure: HTTPHeadParser.Failure) {
            switch failure {
            case .malformed(let message): (kind, self.message) = (.malformed, message)
            case .tooLarge: (kind, message) = (.tooLarge, "")
            case .unsupportedVersion: (kind, message) = (.unsupportedVersion, "")
            }
        }
    }

    /// ``ChunkedBodyDecoder/Failure/malformed``.
    public struct ChunkedMalformed: Error, Equatable, Sendable {}

    /// One field of a parsed head: offsets into ``Head/bytes`` as the parser recorded them.
    public struct Field: Sendable {
        public let nameStart: Int
        public let nameEnd: Int
        public let valueStart: Int
        public let valueEnd: Int
    }

    /// An ``HTTPMessageHead``.
    public struct Head {
        let head: HTTPMessageHead

        public var bytes: [UInt8] { Array(buffer: head.bytes) }
        public var fields: [Field] {
            head.fields.map { Field(nameStart: Int($0.nameStart), nameEnd: Int($0.nameEnd), valueStart: Int($0.valueStart), valueEnd: Int($0.valueEnd)) }
        }
        public func contains(_ lowercaseName: StaticString) -> Bool { head.contains(lowercaseName) }
        public func count(of lowercaseName: StaticString) -> Int { head.count(of: lowercaseName) }
        public func value(_ lowercaseName: StaticString) -> String? { head.value(lowercaseName) }
        public func firstIndex(of lowercaseName: StaticString) -> Int? { head.firstIndex(of: lowercaseName) }
        public func name(at index: Int) -> String { head.name(at: index) }
        public func value(at index: Int) -> String { head.value(at: index) }
        public func listContains(_ lowercaseName: StaticString, token: StaticString) -> Bool {
            head.listContains(lowercaseName, token: token)
        }
    }

    /// A ``ParsedRequestHead``.
    public struct RequestHead {
        let parsed: ParsedRequestHead

        public var method: String { parsed.method }
        public var target: String { parsed.target }
        public var minorVersion: Int { parsed.minorVersion }
        public var isKeepAlive: Bool { parsed.isKeepAlive }
        public var head: Head { Head(head: parsed.head) }
    }

    /// A ``ParsedResponseHead``.
    public struct ResponseHead {
        let parsed: ParsedResponseHead

        public var minorVersion: Int { parsed.minorVersion }
        public var status: Int { parsed.status }
        public var reasonStart: Int { Int(parsed.reason.start) }
        public var reasonEnd: Int { Int(parsed.reason.end) }
        public var isKeepAlive: Bool { parsed.isKeepAlive }
        public var head: Head { Head(head: parsed.head) }
    }

    /// The field list a caller reuses from head to head, as the gateway does.
    public struct FieldStorage {
        var fields: [HTTPMessageHead.Field] = []
        public init() {}
    }

    public static func skipLeadingEmptyLines(_ buffer: inout ByteBuffer) {
        HTTPHeadParser.skipLeadingEmptyLines(&buffer)
    }

    public static func headLength(of buffer: ByteBuffer, scanned: inout Int, limit: Int) throws(Failure) -> Int? {
        do { return try HTTPHeadParser.headLength(of: buffer, scanned: &scanned, limit: limit) } catch { throw Failure(error) }
    }

    public static func parseRequest(_ bytes: ByteBuffer, fieldStorage storage: inout FieldStorage) throws(Failure) -> RequestHead {
        do { return RequestHead(parsed: try HTTPHeadParser.parseRequest(bytes, fieldStorage: &storage.fields)) } catch { throw Failure(error) }
    }

    public static func parseResponse(_ bytes: ByteBuffer) throws(Failure) -> ResponseHead {
        do { return ResponseHead(parsed: try HTTPHeadParser.parseResponse(bytes)) } catch { throw Failure(error) }
    }

    /// A ``BodyFraming``.
    public struct Framing {
        public enum Kind: Equatable, Sendable {
            case none
            case length(Int)
            case chunked
            case untilClose
        }

        var framing: BodyFraming

        public static func request(_ request: RequestHead) throws(Failure) -> Framing {
            do { return Framing(framing: try BodyFraming.request(request.parsed)) } catch { throw Failure(error) }
        }

        public static func response(_ response: ResponseHead, requestMethod method: String) throws(Failure) -> Framing {
            do { return Framing(framing: try BodyFraming.response(response.parsed, requestMethod: method)) } catch { throw Failure(error) }
        }

        public var kind: Kind {
            switch framing {
            case .none: .none
            case .length(let remaining): .length(remaining)
            case .chunked: .chunked
            case .untilClose: .untilClose
            }
        }

        public mutating func read(_ buffer: inout ByteBuffer, data: (ByteBuffer) -> Void) throws(ChunkedMalformed) -> Bool {
            do { return try framing.read(&buffer, data: data) } catch { throw ChunkedMalformed() }
        }
    }

    /// A ``ChunkedBodyDecoder``.
    public struct ChunkedDecoder {
        var decoder = ChunkedBodyDecoder()

        public init() {}

        public var isComplete: Bool { decoder.isComplete }

        public mutating func decode(_ buffer: inout ByteBuffer, data: (ByteBuffer) -> Void) throws(ChunkedMalformed) -> Bool {
            do { return try decoder.decode(&buffer, data: data) } catch { throw ChunkedMalformed() }
        }
    }
}
