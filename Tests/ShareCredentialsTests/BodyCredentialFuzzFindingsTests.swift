import HTTPTypes
import ShareCredentials
import ShareWire
import Testing

/// Regressions found by `scripts/fuzz body-credentials`: a JSON body that cannot be rebuilt (a
/// member no decoder here represents) must not leave with its credential fields, because a server
/// reading only its own fields still finds them.
@Suite("Credential removal from JSON bodies it cannot rebuild (fuzz findings)")
struct BodyCredentialFuzzFindingsTests {
    func request() -> HTTPRequest {
        var request = HTTPRequest(method: .post, scheme: "https", authority: "sandbox.plaid.com", path: "/oauth/token")
        request.headerFields[.contentType] = "application/json"
        return request
    }

    /// Whether a server decoding only `secret` would read one from `body`.
    struct SecretReader: Decodable { var secret: String? }

    @Test("a body with a nested key that is not UTF-8 and a top-level secret is refused, not sent")
    func invalidUTF8ElsewhereDoesNotShieldASecret() throws {
        // The input the fuzzer found, shortened: the secret is readable, the whole body is not.
        let body: [UInt8] = Array(#"{"secret":"y","token":"pda-2","n":[1,2,{""#.utf8) + [0x8D, 0x9B] + Array(#"cret":1}]}"#.utf8)
        #expect(try WireJSON.decode(SecretReader.self, from: body).secret == "y")
        var request = request()
        var edited: [UInt8]? = body
        #expect(throws: CredentialsError.self) { try CredentialPlacement.removeCredentials(from: &request, body: &edited) }
    }

    @Test("a number beyond Double next to a client_secret is refused, not sent")
    func outOfRangeNumberDoesNotShieldASecret() throws {
        var request = request()
        var body: [UInt8]? = Array(#"{"client_secret":"s","big":1e400}"#.utf8)
        #expect(throws: CredentialsError.self) { try CredentialPlacement.removeCredentials(from: &request, body: &body) }
    }

    @Test("an unrebuildable body without credential fields is still sent as it is")
    func unrebuildableBodyWithoutCredentialsIsKept() throws {
        var request = request()
        let original: [UInt8] = Array(#"{"token":"pda-1","big":1e400,"secretary":"x"}"#.utf8)
        var body: [UInt8]? = original
        try CredentialPlacement.removeCredentials(from: &request, body: &body)
        #expect(body == original)
    }
}

/// ShareWire's form decoder reads `client_id[]=x` as `client_id = "x"`, so removal treats a
/// bracketed key as its base field (found by `scripts/fuzz gateway-body` in the gateway's own
/// filter; the same rule holds here).
@Suite("Credential removal from form bodies with bracketed keys")
struct BracketedFormCredentialTests {
    @Test("bracketed credential keys are removed from a form body", arguments: ["client_id[]=x", "secret[]=y", "client_secret[0]=z", "client%5Fid%5B%5D=x"])
    func bracketedKeysRemoved(pair: String) throws {
        var request = HTTPRequest(method: .post, scheme: "https", authority: "sandbox.plaid.com", path: "/oauth/token")
        request.headerFields[.contentType] = "application/x-www-form-urlencoded"
        var body: [UInt8]? = Array("grant_type=client_credentials&\(pair)".utf8)
        try CredentialPlacement.removeCredentials(from: &request, body: &body)
        #expect(body.map { String(decoding: $0, as: UTF8.self) } == "grant_type=client_credentials")
    }
}
