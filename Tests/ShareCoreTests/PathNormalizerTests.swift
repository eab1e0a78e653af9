import Testing

@testable import ShareCore

@Suite("PathNormalizer")
struct PathNormalizerTests {
    let normalizer = PathNormalizer()

    @Test("canonical paths pass unchanged", arguments: ["/", "/oauth/token", "/api/v1/connect/share-tokens/st_1/redeem", "/a%20b", "/oauth/token/"])
    func canonicalPathsPassUnchanged(path: String) throws {
        #expect(try normalizer.normalize(path) == path)
    }

    @Test("double and triple slashes collapse", arguments: [("//oauth/token", "/oauth/token"), ("/oauth//token", "/oauth/token"), ("/oauth///token", "/oauth/token"), ("//", "/")])
    func slashesCollapse(input: String, expected: String) throws {
        #expect(try normalizer.normalize(input) == expected)
    }

    @Test("single-dot segments are removed", arguments: [("/./oauth/token", "/oauth/token"), ("/oauth/./token", "/oauth/token"), ("/oauth/%2e/token", "/oauth/token")])
    func dotSegmentsRemoved(input: String, expected: String) throws {
        #expect(try normalizer.normalize(input) == expected)
    }

    @Test("dot-dot segments are refused, raw or encoded", arguments: [
        "/oauth/../admin", "/..", "/oauth/token/..", "/%2e%2e/admin", "/%2E%2E/admin", "/.%2e/admin", "/%2e./admin",
        "/api/v1/connect/share-tokens/../../secret",
    ])
    func dotDotRefused(path: String) {
        #expect(throws: PathNormalizationError.dotDotSegment) { try normalizer.normalize(path) }
    }

    @Test("unreserved escapes are decoded so they match", arguments: [("/oauth/%74oken", "/oauth/token"), ("/%6Fauth/token", "/oauth/token"), ("/a%7eb", "/a~b")])
    func unreservedEscapesDecoded(input: String, expected: String) throws {
        #expect(try normalizer.normalize(input) == expected)
    }

    @Test("other escapes are kept with uppercase hex")
    func otherEscapesUppercased() throws {
        #expect(try normalizer.normalize("/a%3fb%20c") == "/a%3Fb%20c")
    }

    @Test("encoded slashes are refused", arguments: ["/oauth%2Ftoken", "/oauth%2ftoken"])
    func encodedSlashRefused(path: String) {
        #expect(throws: PathNormalizationError.encodedSlash) { try normalizer.normalize(path) }
    }

    @Test("backslashes are refused, raw or encoded", arguments: ["/oauth\\token", "/oauth%5Ctoken", "/oauth%5ctoken"])
    func backslashRefused(path: String) {
        #expect(throws: PathNormalizationError.backslash) { try normalizer.normalize(path) }
    }

    @Test("NUL is refused, raw or encoded")
    func nulRefused() {
        #expect(throws: PathNormalizationError.nul) { try normalizer.normalize("/oauth/token\u{0}") }
        #expect(throws: PathNormalizationError.encodedNUL) { try normalizer.normalize("/oauth/token%00") }
    }

    @Test("malformed escapes are refused", arguments: ["/a%", "/a%4", "/a%zz", "/a%g0"])
    func malformedEscapeRefused(path: String) {
        #expect(throws: PathNormalizationError.malformedEscape) { try normalizer.normalize(path) }
    }

    @Test("characters outside the path grammar are refused", arguments: ["/a b", "/a\"b", "/a<b", "/é", "/a\tb", "/a{b}"])
    func invalidCharactersRefused(path: String) {
        #expect(throws: PathNormalizationError.invalidCharacter) { try normalizer.normalize(path) }
    }

    @Test("relative and overlong paths are refused")
    func relativeAndOverlongRefused() {
        #expect(throws: PathNormalizationError.notAbsolute) { try normalizer.normalize("oauth/token") }
        #expect(throws: PathNormalizationError.notAbsolute) { try normalizer.normalize("") }
        #expect(throws: PathNormalizationError.tooLong) { try PathNormalizer(maximumLength: 10).normalize("/0123456789") }
    }

    @Test("errors never repeat the path")
    func errorsDoNotEchoThePath() {
        do {
            _ = try normalizer.normalize("/secret-value/../x")
            Issue.record("expected a refusal")
        } catch {
            #expect(!error.description.contains("secret-value"))
        }
    }
}
