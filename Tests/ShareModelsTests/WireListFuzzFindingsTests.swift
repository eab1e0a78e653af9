import ShareModels
import ShareWire
import Testing

/// Regressions found by `scripts/fuzz form`: wire lists split on Unicode scalars, so a separator
/// followed by a combining mark still separates, and every parsed value survives a round trip.
@Suite("Wire lists split on Unicode scalars (fuzz findings)")
struct WireListFuzzFindingsTests {
    @Test("a space followed by a combining mark still separates two scopes")
    func scopeSeparatorBeforeCombiningMark() {
        let scopes = ScopeSet(parsing: "user:read \u{0301}extra")
        #expect(scopes.scopes == [.userRead, Scope(rawValue: "\u{0301}extra")])
        #expect(ScopeSet(parsing: scopes.wireValue) == scopes)
        let tabbed = ScopeSet(parsing: "exchange\t\u{064C}x")
        #expect(tabbed.scopes == [.exchange, Scope(rawValue: "\u{064C}x")])
    }

    @Test("the form body the fuzzer found decodes to a token request that round-trips")
    func fuzzedFormBodyRoundTrips() throws {
        let body: [UInt8] = Array("grant_type=client_credentials&scope=exct".utf8) + [0x09, 0x09, 0xD9, 0x8C] + Array("1ld\tread\tyz".utf8)
        let request = try FormDecoder().decode(OAuthTokenRequest.self, from: body)
        let again = try FormDecoder().decode(OAuthTokenRequest.self, from: FormEncoder().encode(request))
        #expect(again == request)
        #expect(request.scope?.contains(Scope(rawValue: "read")) == true)
    }

    @Test(
        "a scope of only spaces and tabs names no scope, in a form and in JSON alike",
        arguments: ["grant_type=c&scope= \t\t\t\t\t\t", "grant_type=client_credentials&scope=%20", "grant_type=client_credentials&scope=+"])
    func blankScopeIsNoScope(_ body: String) throws {
        let request = try FormDecoder().decode(OAuthTokenRequest.self, from: Array(body.utf8))
        #expect(request.scope == nil)
        let again = try FormDecoder().decode(OAuthTokenRequest.self, from: FormEncoder().encode(request))
        #expect(again == request)
        let json = try WireJSON.decode(OAuthTokenRequest.self, from: Array(#"{"grant_type":"client_credentials","scope":" \t"}"#.utf8))
        #expect(json.scope == nil)
    }

    @Test("a comma followed by a combining mark still separates two audience members")
    func audienceSeparatorBeforeCombiningMark() throws {
        let audience = try #require(Audience(parsing: "urn:plaid:params:partner:fannie-mae,\u{0301}client-b"))
        #expect(audience.members.count == 2)
        #expect(Audience(parsing: audience.wireValue) == audience)
    }
}
