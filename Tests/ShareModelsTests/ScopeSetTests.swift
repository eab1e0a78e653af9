import ShareModels
import Testing

@Suite("ScopeSet")
struct ScopeSetTests {
    @Test func parsesSpaceSeparatedScopesInOrder() {
        let scopes = ScopeSet(parsing: "user:read user:write exchange")
        #expect(scopes.scopes == [.userRead, .userWrite, .exchange])
        #expect(scopes.wireValue == "user:read user:write exchange")
    }

    @Test func toleratesRepeatedSpacesAndTabsAndDropsDuplicates() {
        let scopes = ScopeSet(parsing: "  user:read\t\tuser:read   mcp:dashboard ")
        #expect(scopes.scopes == [.userRead, .mcpDashboard])
        #expect(scopes.wireValue == "user:read mcp:dashboard")
    }

    @Test func preservesUnknownScopesAndReportsThemUndocumented() {
        let scopes = ScopeSet(parsing: "user:read accounts:write")
        #expect(scopes.contains(Scope(rawValue: "accounts:write")))
        #expect(scopes.undocumented == [Scope(rawValue: "accounts:write")])
        #expect(scopes.wireValue == "user:read accounts:write")
    }

    @Test func keepsMultiByteScopesWholeAndDropsCanonicallyEqualRepeats() {
        // "é" precomposed, then as "e" and a combining acute: one scope as Swift compares strings.
        let scopes = ScopeSet(parsing: "r\u{E9}sum\u{E9}:read\tr\u{65}\u{301}sum\u{E9}:read \u{1F512}:x")
        #expect(scopes.scopes == [Scope(rawValue: "r\u{E9}sum\u{E9}:read"), Scope(rawValue: "\u{1F512}:x")])
        #expect(ScopeSet(parsing: scopes.wireValue) == scopes)
    }

    @Test func anEmptyStringIsAnEmptySet() {
        #expect(ScopeSet(parsing: "").isEmpty)
        #expect(ScopeSet(parsing: "   ").isEmpty)
    }

    @Test func knowsTheDocumentedScopes() {
        #expect(Scope.documented.map(\.rawValue) == ["user:read", "user:write", "exchange", "mcp:dashboard"])
        #expect(Scope.exchange.isDocumented)
        #expect(!Scope(rawValue: "exchange ").isDocumented)
    }

    @Test func comparesAsSubsets() {
        #expect(ScopeSet.read.isSubset(of: .readWrite))
        #expect(!ScopeSet.readWrite.isSubset(of: .read))
    }
}
