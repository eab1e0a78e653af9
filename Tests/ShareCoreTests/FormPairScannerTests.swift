import Testing

import ShareCore

@Suite("FormPairScanner")
struct FormPairScannerTests {
    /// Each pair's name and value, undecoded, and its flags.
    func scan(_ text: String) -> [(name: String, value: String, pair: FormPairScanner.Pair)] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            var scanner = FormPairScanner(raw)
            var pairs: [(String, String, FormPairScanner.Pair)] = []
            while let pair = scanner.next() {
                pairs.append((String(decoding: raw[pair.name], as: UTF8.self), String(decoding: raw[pair.value], as: UTF8.self), pair))
            }
            return pairs
        }
    }

    @Test("pairs split at & and at the first =; empty pairs skipped")
    func splits() {
        let pairs = scan("&a=1&&b=2=3&c&=d&")
        #expect(pairs.map(\.name) == ["a", "b", "c", ""])
        #expect(pairs.map(\.value) == ["1", "2=3", "", "d"])
        #expect(pairs[2].pair.equals == pairs[2].pair.range.upperBound)
    }

    @Test("an empty input has no pairs")
    func empty() {
        #expect(scan("").isEmpty)
        #expect(scan("&&").isEmpty)
    }

    @Test("the flags say which part needs decoding and whether the name has a bracket")
    func flags() {
        let pairs = scan("a%41=b&c=d+e&f[g]=h&é=1")
        #expect(pairs.map(\.pair.nameNeedsDecoding) == [true, false, false, true])
        #expect(pairs.map(\.pair.valueNeedsDecoding) == [false, true, false, false])
        #expect(pairs.map(\.pair.nameHasBracket) == [false, false, true, false])
    }

    @Test("the range covers the whole pair")
    func ranges() {
        let pairs = scan("ab=cd&ef")
        #expect(pairs.map(\.pair.range) == [0..<5, 6..<8])
    }

    @Test("baseName is the part before the first [")
    func baseName() {
        #expect(FormPairScanner.baseName(of: "client_id[]") == "client_id")
        #expect(FormPairScanner.baseName(of: "a[b][c]") == "a")
        #expect(FormPairScanner.baseName(of: "plain") == "plain")
    }
}
