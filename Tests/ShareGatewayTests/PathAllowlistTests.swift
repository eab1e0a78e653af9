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

    @Test("the sandbox's control plane is matched only by an entry naming it", arguments: [
        "/sandbox", "/sandbox/reset", "/sandbox/clock", "/sandbox/faults/oauth", "/SANDBOX/reset", "/Sandbox/clock",
    ])
    func sandboxControlPlaneNeedsAnExplicitEntry(path: String) throws {
        #expect(PathAllowlist.isSandboxControlPath(path))
        #expect(!PathAllowlist.default.allows(path))
        // A wildcard or any subtree above it does not admit it, whatever its methods.
        for text in ["/…", "/...", "GET,POST,PUT,DELETE /…"] {
            #expect(!(try PathAllowlist.Entry(parsing: text)).matches(path), "\(text)")
        }
        // An entry naming it does (matching itself stays case-sensitive: `/sandbox…` is not `/SANDBOX…`).
        let controlPlane = "/" + path.dropFirst().prefix { $0 != "/" }
        #expect(try PathAllowlist.Entry(parsing: controlPlane + "…").matches(path))
        #expect(try PathAllowlist.Entry(parsing: controlPlane + "/*").matches(path))
        #expect(try PathAllowlist.Entry(parsing: "GET,POST " + path).matches(path))
    }

    @Test("an explicit /sandbox entry admits only what it names; other paths still match a wildcard")
    func explicitSandboxEntries() throws {
        let allowlist = try PathAllowlist(parsing: ["/…", "POST /sandbox/reset"])
        #expect(allowlist.entry(matching: "/sandbox/reset")?.label == "/sandbox/reset")
        #expect(!allowlist.allows("/sandbox/clock"))
        #expect(!allowlist.allows("/sandbox"))
        #expect(allowlist.entry(matching: "/sandboxes")?.label == "/…")
        #expect(allowlist.entry(matching: "/api/sandbox/reset")?.label == "/…")
        #expect(allowlist.entry(matching: "/")?.label == "/…")
        for path in ["/sandboxes", "/sandbo", "/api/sandbox", "/", "/sandbox-admin/reset"] {
            #expect(!PathAllowlist.isSandboxControlPath(path), "\(path)")
        }
    }
}
