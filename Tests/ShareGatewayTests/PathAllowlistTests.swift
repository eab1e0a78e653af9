import Testing

@testable import ShareGateway

@Suite("PathAllowlist")
struct PathAllowlistTests {
    @Test("the default list allows the documented endpoints", arguments: [
        "/oauth/token", "/oauth/introspect", "/oauth/revoke", "/user/create",
        "/api/v1/connect/share-tokens", "/api/v1/connect/share-tokens/st_123", "/api/v1/connect/share-tokens/st_123/redeem",
        "/api/v1/connect/connections", "/api/v1/connect/connections/cxn_1/deactivate",
    ])
    func defaultAllows(path: String) {
        #expect(PathAllowlist.default.allows(path))
    }

    @Test("the default list refuses everything else", arguments: [
        "/", "/oauth", "/oauth/token/extra", "/oauth/tokens", "/user/create/x", "/user/remove",
        "/api/v1/connect/share-tokens-admin", "/api/v1/connect", "/api/v1/connect/connections-admin", "/sandbox/reset", "/OAUTH/TOKEN",
    ])
    func defaultRefuses(path: String) {
        #expect(!PathAllowlist.default.allows(path))
    }

    @Test("subtree markers: …, ... and /*")
    func subtreeMarkers() throws {
        for text in ["/a/b…", "/a/b...", "/a/b/*"] {
            let entry = try PathAllowlist.Entry(parsing: text)
            #expect(entry.includesSubpaths)
            #expect(entry.matches("/a/b"))
            #expect(entry.matches("/a/b/c"))
            #expect(!entry.matches("/a/bc"))
        }
    }

    @Test("entries must be written normalised", arguments: ["/a/../b", "/a//b", "a/b", "/a%2Fb"])
    func entriesMustBeNormalised(text: String) {
        #expect(throws: PathAllowlistError.self) { try PathAllowlist.Entry(parsing: text) }
    }
}
