import NIOCore
import Testing

@testable import ShareCore

@Suite("ChunkedBodyDecoder")
struct ChunkedBodyDecoderTests {
    /// What one decoder made of some input.
    struct Outcome {
        var data: [UInt8] = []
        var complete = false
        var rest: [UInt8] = []
        var dataString: String { String(decoding: data, as: UTF8.self) }
        var restString: String { String(decoding: rest, as: UTF8.self) }
    }

    /// Decodes `bytes` given in one piece with a new decoder.
    static func decode(_ bytes: [UInt8]) throws(ChunkedBodyDecoder.Failure) -> Outcome {
        var decoder = ChunkedBodyDecoder()
        var buffer = ByteBuffer(bytes: bytes)
        var outcome = Outcome()
        var data: [UInt8] = []
        outcome.complete = try decoder.decode(&buffer) { data += Array($0.readableBytesView) }
        outcome.data = data
        #expect(decoder.isComplete == outcome.complete)
        outcome.rest = Array(buffer.readableBytesView)
        return outcome
    }

    static func decode(_ text: String) throws(ChunkedBodyDecoder.Failure) -> Outcome {
        try decode(Array(text.utf8))
    }

    /// A body of several chunks, with an extension, upper- and lowercase hex sizes and trailers.
    static let body = "5;name=value\r\nhello\r\n"
        + "A\r\n0123456789\r\n"
        + "1f\r\n" + String(repeating: "x", count: 31) + "\r\n"
        + "1;a=b;c=\"quoted ; string\"\r\n!\r\n"
        + "0\r\nX-Trailer: yes\r\nOther-Trailer: no\r\n\r\n"
    static let bodyData = "hello0123456789" + String(repeating: "x", count: 31) + "!"

    @Test("a body of several chunks decodes to the chunks' data and completes, leaving what follows it")
    func decodesBody() throws {
        let following = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"
        let outcome = try Self.decode(Self.body + following)
        #expect(outcome.complete)
        #expect(outcome.dataString == Self.bodyData)
        #expect(outcome.restString == following)
    }

    @Test("hex sizes are read in either case", arguments: [("a", 10), ("A", 10), ("fF", 255), ("Ff", 255), ("10", 16), ("00000a", 10), ("1b", 27), ("1B", 27)])
    func hexSizes(size: String, length: Int) throws {
        let data = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
        let outcome = try Self.decode("\(size)\r\n\(data)\r\n0\r\n\r\n")
        #expect(outcome.complete)
        #expect(outcome.dataString == data)
        #expect(outcome.rest.isEmpty)
    }

    @Test("a chunk's data is passed through byte for byte, CR, LF and all")
    func binaryData() throws {
        let data: [UInt8] = [0, 13, 10, 13, 10, 0xFF, 0x80, 48, 13]
        let outcome = try Self.decode(Array("9\r\n".utf8) + data + Array("\r\n0\r\n\r\n".utf8))
        #expect(outcome.complete)
        #expect(outcome.data == data)
    }

    @Test("an empty body (just the last chunk) completes with no data")
    func emptyBody() throws {
        let outcome = try Self.decode("0\r\n\r\nNEXT")
        #expect(outcome.complete)
        #expect(outcome.data.isEmpty)
        #expect(outcome.restString == "NEXT")
    }

    @Test("whitespace before a chunk extension and an extension on the last chunk are accepted")
    func extensionForms() throws {
        let outcome = try Self.decode("3 ;a=b\r\nabc\r\n3\t; x\r\ndef\r\n0;last=yes\r\n\r\n")
        #expect(outcome.complete)
        #expect(outcome.dataString == "abcdef")
    }

    @Test("an incomplete body is not complete and hands out the data it has")
    func incompleteBody() throws {
        let outcome = try Self.decode("5\r\nhel")
        #expect(!outcome.complete)
        #expect(outcome.dataString == "hel")
        #expect(outcome.rest.isEmpty)

        for text in ["", "5", "5\r", "5\r\nhello", "5\r\nhello\r", "5\r\nhello\r\n", "0\r\n", "0\r\n\r", "0\r\nX: a\r\n"] {
            let partial = try Self.decode(text)
            #expect(!partial.complete, "\(text.debugDescription)")
        }
    }

    @Test("the largest 15-digit size is accepted")
    func fifteenHexDigits() throws {
        let outcome = try Self.decode("FFFFFFFFFFFFFFF\r\nabc")
        #expect(!outcome.complete)
        #expect(outcome.dataString == "abc")
    }

    @Test("the body split in two at every byte decodes the same and completes exactly at its end")
    func everySplit() throws {
        let bytes = Array(Self.body.utf8)
        for split in 0...bytes.count {
            var decoder = ChunkedBodyDecoder()
            var data: [UInt8] = []
            var first = ByteBuffer(bytes: bytes[0..<split])
            let firstComplete = try decoder.decode(&first) { data += Array($0.readableBytesView) }
            #expect(firstComplete == (split == bytes.count), "split at \(split)")
            #expect(first.readableBytes == 0, "split at \(split)")
            var second = ByteBuffer(bytes: bytes[split...])
            let secondComplete = try decoder.decode(&second) { data += Array($0.readableBytesView) }
            #expect(secondComplete, "split at \(split)")
            #expect(decoder.isComplete, "split at \(split)")
            #expect(second.readableBytes == 0, "split at \(split)")
            #expect(String(decoding: data, as: UTF8.self) == Self.bodyData, "split at \(split)")
        }
    }

    @Test("the body split in two at every byte, with a request after it, leaves exactly that request")
    func everySplitWithFollowingBytes() throws {
        let following = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        let bodyBytes = Array(Self.body.utf8)
        let bytes = bodyBytes + following
        for split in 0...bytes.count {
            var decoder = ChunkedBodyDecoder()
            var data: [UInt8] = []
            var first = ByteBuffer(bytes: bytes[0..<split])
            var complete = try decoder.decode(&first) { data += Array($0.readableBytesView) }
            var rest = Array(first.readableBytesView)
            if !complete {
                #expect(rest.isEmpty, "split at \(split)")
                var second = ByteBuffer(bytes: bytes[split...])
                complete = try decoder.decode(&second) { data += Array($0.readableBytesView) }
                rest = Array(second.readableBytesView)
            } else {
                #expect(split >= bodyBytes.count, "split at \(split)")
                rest += bytes[split...]
            }
            #expect(complete, "split at \(split)")
            #expect(rest == following, "split at \(split)")
            #expect(String(decoding: data, as: UTF8.self) == Self.bodyData, "split at \(split)")
        }
    }

    @Test("the body fed a byte at a time completes on its last byte and not before")
    func byteAtATime() throws {
        let bytes = Array(Self.body.utf8)
        var decoder = ChunkedBodyDecoder()
        var data: [UInt8] = []
        for (offset, byte) in bytes.enumerated() {
            var buffer = ByteBuffer(bytes: [byte])
            let complete = try decoder.decode(&buffer) { data += Array($0.readableBytesView) }
            #expect(complete == (offset == bytes.count - 1), "byte \(offset)")
            #expect(buffer.readableBytes == 0)
        }
        #expect(decoder.isComplete)
        #expect(String(decoding: data, as: UTF8.self) == Self.bodyData)
    }

    @Test("once complete, the decoder reads nothing more")
    func nothingAfterCompletion() throws {
        var decoder = ChunkedBodyDecoder()
        var body = ByteBuffer(string: "1\r\na\r\n0\r\n\r\n")
        var data: [UInt8] = []
        #expect(try decoder.decode(&body) { data += Array($0.readableBytesView) })
        var next = ByteBuffer(string: "5\r\nhello\r\n0\r\n\r\n")
        #expect(try decoder.decode(&next) { data += Array($0.readableBytesView) })
        #expect(String(decoding: data, as: UTF8.self) == "a")
        #expect(String(buffer: next) == "5\r\nhello\r\n0\r\n\r\n")
    }

    struct Malformed: CustomTestStringConvertible, Sendable {
        let why: String
        let input: String
        var testDescription: String { why }
    }

    @Test("malformed chunked bodies are refused", arguments: [
        Malformed(why: "no CRLF after the chunk data", input: "5\r\nhelloX\r\n0\r\n\r\n"),
        Malformed(why: "a bare LF after the chunk data", input: "5\r\nhello\n0\r\n\r\n"),
        Malformed(why: "a bare CR after the chunk data", input: "5\r\nhello\r0\r\n\r\n"),
        Malformed(why: "data longer than its size", input: "3\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a non-hex size", input: "g\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a 0x prefix", input: "0x5\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a negative size", input: "-5\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a plus sign", input: "+5\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "an empty size line", input: "\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "an empty size line at the end", input: "5\r\nhello\r\n\r\n"),
        Malformed(why: "whitespace before the size", input: " 5\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a digit after whitespace", input: "5 5\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "an extension without a size", input: ";a=b\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "16 hex digits", input: "1000000000000000\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "16 hex digits with leading zeros", input: "0000000000000005\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a bare LF after the size", input: "5\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a bare LF after the last size", input: "5\r\nhello\r\n0\n\r\n"),
        Malformed(why: "a bare CR after the size", input: "5\rhello\r\n0\r\n\r\n"),
        Malformed(why: "a bare LF in an extension", input: "5;a\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a NUL in an extension", input: "5;a=\u{0}\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a DEL in an extension", input: "5;a=\u{7F}\r\nhello\r\n0\r\n\r\n"),
        Malformed(why: "a bare LF in a trailer", input: "0\r\nX-A: a\nb\r\n\r\n"),
        Malformed(why: "a bare LF ending the trailers", input: "0\r\nX-A: a\r\n\n"),
        Malformed(why: "a bare CR in a trailer", input: "0\r\nX-A: a\rb\r\n\r\n"),
        Malformed(why: "a control byte in a trailer", input: "0\r\nX-A: \u{01}\r\n\r\n"),
        Malformed(why: "a bare CR ending the body", input: "0\r\n\rX"),
    ])
    func malformedRefused(_ malformed: Malformed) {
        #expect(throws: ChunkedBodyDecoder.Failure.malformed) { try Self.decode(malformed.input) }
    }

    @Test("malformed input is refused when it arrives a byte at a time too")
    func malformedByteAtATime() {
        for input in ["5\r\nhelloX\r\n", "5\nhello", "1000000000000000\r\n", "\r\n", "0\r\nX\nY"] {
            var decoder = ChunkedBodyDecoder()
            var threw = false
            for byte in input.utf8 {
                var buffer = ByteBuffer(bytes: [byte])
                do throws(ChunkedBodyDecoder.Failure) {
                    _ = try decoder.decode(&buffer) { _ in }
                } catch {
                    #expect(error == .malformed)
                    threw = true
                    break
                }
            }
            #expect(threw, "\(input.debugDescription)")
        }
    }

    // MARK: Overhead limit

    @Test("a chunk extension a little under 16 KiB is accepted")
    func longExtensionAccepted() throws {
        let outcome = try Self.decode("5;" + String(repeating: "a", count: 16_000) + "\r\nhello\r\n0\r\n\r\n")
        #expect(outcome.complete)
        #expect(outcome.dataString == "hello")
    }

    @Test("a size line over 16 KiB is refused", arguments: [17_000, 100_000])
    func longSizeLineRefused(extensionLength: Int) {
        #expect(throws: ChunkedBodyDecoder.Failure.malformed) {
            try Self.decode("5;" + String(repeating: "a", count: extensionLength) + "\r\nhello\r\n0\r\n\r\n")
        }
    }

    @Test("an endless chunk extension arriving in pieces is refused before it reaches 17 KiB")
    func endlessExtensionRefused() {
        var decoder = ChunkedBodyDecoder()
        var sent = 0
        var threw = false
        var buffer = ByteBuffer(string: "5;")
        while sent < 1_000_000 {
            do throws(ChunkedBodyDecoder.Failure) {
                _ = try decoder.decode(&buffer) { _ in }
            } catch {
                threw = true
                break
            }
            buffer = ByteBuffer(string: String(repeating: "e", count: 1000))
            sent += 1000
        }
        #expect(threw)
        #expect(sent <= 17_000)
    }

    @Test("the limit is per size line: two long extensions in a row are accepted")
    func limitIsPerSizeLine() throws {
        let ext = String(repeating: "a", count: 10_000)
        let outcome = try Self.decode("5;\(ext)\r\nhello\r\n5;\(ext)\r\nworld\r\n0;\(ext)\r\nX-T: \(ext)\r\n\r\n")
        #expect(outcome.complete)
        #expect(outcome.dataString == "helloworld")
    }

    @Test("trailers under 16 KiB are accepted")
    func trailersAccepted() throws {
        let trailers = (0..<100).map { "X-Trailer-\($0): " + String(repeating: "t", count: 80) + "\r\n" }.joined()
        let outcome = try Self.decode("1\r\na\r\n0\r\n" + trailers + "\r\nNEXT")
        #expect(outcome.complete)
        #expect(outcome.dataString == "a")
        #expect(outcome.restString == "NEXT")
    }

    @Test("a trailer section over 16 KiB is refused, in many lines or one")
    func longTrailersRefused() {
        let manyLines = (0..<200).map { "X-Trailer-\($0): " + String(repeating: "t", count: 90) + "\r\n" }.joined()
        #expect(throws: ChunkedBodyDecoder.Failure.malformed) { try Self.decode("1\r\na\r\n0\r\n" + manyLines + "\r\n") }
        let oneLine = "X-Trailer: " + String(repeating: "t", count: 17_000) + "\r\n"
        #expect(throws: ChunkedBodyDecoder.Failure.malformed) { try Self.decode("1\r\na\r\n0\r\n" + oneLine + "\r\n") }
    }

    @Test("a long body of many small chunks does not trip the overhead limit")
    func manyChunks() throws {
        var bytes: [UInt8] = []
        var expected: [UInt8] = []
        for index in 0..<10_000 {
            let digits = String(index)
            let chunk = Array((String(repeating: "0", count: 10 - digits.count) + digits).utf8)
            bytes += Array("a\r\n".utf8) + chunk + Array("\r\n".utf8)
            expected += chunk
        }
        bytes += Array("0\r\n\r\n".utf8)
        let outcome = try Self.decode(bytes)
        #expect(outcome.complete)
        #expect(outcome.data.count == 100_000)
        #expect(outcome.data == expected)
    }

    @Test("many small chunks fed in 4 KiB pieces do not trip the overhead limit either")
    func manyChunksInPieces() throws {
        let chunk = "a;ext=1\r\n0123456789\r\n"
        let bytes = Array((String(repeating: chunk, count: 10_000) + "0\r\n\r\n").utf8)
        var decoder = ChunkedBodyDecoder()
        var count = 0
        var complete = false
        var offset = 0
        while offset < bytes.count {
            var buffer = ByteBuffer(bytes: bytes[offset..<min(offset + 4096, bytes.count)])
            complete = try decoder.decode(&buffer) { count += $0.readableBytes }
            offset += 4096
        }
        #expect(complete)
        #expect(count == 100_000)
    }
}
