import Testing

import ShareCore

@Suite("PercentCoding")
struct PercentCodingTests {
    @Test("form decoding reads + as a space and %XX in either case")
    func formDecoding() {
        #expect(PercentCoding.decode("a+b%2Bc%2bd%C3%A9", plus: .space) == "a b+c+dé")
    }

    @Test("path and literal decoding keep +")
    func literalPlus() {
        #expect(PercentCoding.decode("a+b%20c", plus: .literal) == "a+b c")
    }

    @Test("a malformed escape is refused", arguments: ["%", "%4", "%zz", "a%g1", "ab%"])
    func malformedEscape(text: String) {
        #expect(PercentCoding.decode(text, plus: .space) == nil)
        #expect(Array(text.utf8).withUnsafeBytes { PercentCoding.hasValidEscapes($0) } == false)
        #expect(Array(text.utf8).withUnsafeBytes { PercentCoding.decodedString($0, plus: .space) } == nil)
    }

    @Test("decoded bytes that are not UTF-8 are refused by decode(_:plus:) and replaced by decodedString")
    func invalidUTF8() {
        #expect(PercentCoding.decode("%FF", plus: .space) == nil)
        #expect(Array("%FFa".utf8).withUnsafeBytes { PercentCoding.decodedString($0, plus: .space) } == "\u{FFFD}a")
    }

    @Test("decode(_:plus:into:) reports the count and whether the bytes are ASCII")
    func decodeIntoBuffer() {
        let bytes = Array("a%41+%C3%A9".utf8)
        var target = [UInt8](repeating: 0, count: bytes.count)
        let decoded = bytes.withUnsafeBytes { source in
            target.withUnsafeMutableBufferPointer { PercentCoding.decode(source, plus: .space, into: $0) }
        }
        #expect(decoded?.count == 5)
        #expect(decoded?.isASCII == false)
        #expect(Array(target.prefix(5)) == Array("aA é".utf8))
        let ascii = Array("x%20y".utf8).withUnsafeBytes { source in
            target.withUnsafeMutableBufferPointer { PercentCoding.decode(source, plus: .space, into: $0) }
        }
        #expect(ascii?.isASCII == true)
    }

    @Test("escapedByte reads one escape", arguments: [("%2F", UInt8?(0x2F)), ("%2f", 0x2F), ("%2", nil), ("x2F", nil)])
    func escapedByte(text: String, expected: UInt8?) {
        #expect(Array(text.utf8).withUnsafeBytes { PercentCoding.escapedByte(in: $0, at: 0) } == expected)
    }

    @Test("hex digits in either case, nothing else")
    func hexValue() {
        #expect(PercentCoding.hexValue(UInt8(ascii: "0")) == 0)
        #expect(PercentCoding.hexValue(UInt8(ascii: "a")) == 10)
        #expect(PercentCoding.hexValue(UInt8(ascii: "F")) == 15)
        #expect(PercentCoding.hexValue(UInt8(ascii: "g")) == nil)
        #expect(PercentCoding.uppercaseHexDigit(11) == UInt8(ascii: "B"))
    }

    @Test("form encoding keeps letters, digits and *-._, writes space as + and the rest as %XX")
    func formEncoding() {
        #expect(PercentCoding.formEncoded("aZ09*-._ ~!+é") == "aZ09*-._+%7E%21%2B%C3%A9")
        #expect(PercentCoding.isFormUnreserved(UInt8(ascii: "*")))
        #expect(!PercentCoding.isFormUnreserved(UInt8(ascii: "~")))
        #expect(!PercentCoding.isFormUnreserved(0xC3))
    }

    @Test("what is form-encoded decodes back", arguments: ["", "plain", "a b+c&d=e", "é€😀", "%%"])
    func roundTrip(text: String) {
        #expect(PercentCoding.decode(PercentCoding.formEncoded(text), plus: .space) == text)
    }
}
