import HTTPTypes
import ShareCredentials
import ShareWire
import Testing

@Suite("Credential placement")
struct CredentialPlacementTests {
    let credentials = ClientCredentials(clientID: "client-9", secret: "placed-secret")

    func request(contentType: String? = "application/json") -> HTTPRequest {
        var request = HTTPRequest(method: .post, scheme: "https", authority: "sandbox.plaid.com", path: "/oauth/token")
        request.headerFields[.contentType] = contentType
        // Whatever the caller already carried must go.
        request.headerFields[.authorization] = "Basic c3RhbGU6c3RhbGU="
        request.headerFields[.plaidClientID] = "stale-client"
        request.headerFields[.plaidSecret] = "stale-secret"
        return request
    }

    func fields(_ body: [UInt8]?) throws -> [String: String] {
        try WireJSON.decode([String: String].self, from: body ?? [])
    }

    @Test("headers placement sets PLAID-CLIENT-ID and PLAID-SECRET and strips every other credential")
    func headers() throws {
        var request = request()
        var body: [UInt8]? = Array(#"{"grant_type":"client_credentials","client_id":"stale","client_secret":"stale-secret","secret":"x"}"#.utf8)
        try CredentialPlacement.headers.apply(credentials, to: &request, body: &body)
        #expect(request.headerFields[.plaidClientID] == "client-9")
        #expect(request.headerFields[.plaidSecret] == "placed-secret")
        #expect(request.headerFields[values: .plaidSecret].count == 1)
        #expect(request.headerFields[.authorization] == nil)
        #expect(try fields(body) == ["grant_type": "client_credentials"])
    }

    @Test("body placement writes client_id and secret into a JSON body, keeping other fields and types")
    func jsonBody() throws {
        var request = request()
        var body: [UInt8]? = Array(#"{"token":"pda-1","n":900,"flag":true,"secret":"stale"}"#.utf8)
        try CredentialPlacement.body().apply(credentials, to: &request, body: &body)
        #expect(request.headerFields[.plaidClientID] == nil && request.headerFields[.plaidSecret] == nil)
        #expect(request.headerFields[.authorization] == nil)
        #expect(String(decoding: body ?? [], as: UTF8.self) == #"{"client_id":"client-9","flag":true,"n":900,"secret":"placed-secret","token":"pda-1"}"#)
    }

    @Test("body placement can use client_secret, and creates a JSON body when there is none")
    func clientSecretField() throws {
        var request = HTTPRequest(method: .post, scheme: "https", authority: "h", path: "/oauth/revoke")
        var body: [UInt8]? = nil
        try CredentialPlacement.body(secretField: .clientSecret).apply(credentials, to: &request, body: &body)
        #expect(request.headerFields[.contentType] == "application/json")
        #expect(try fields(body) == ["client_id": "client-9", "client_secret": "placed-secret"])
    }

    @Test("body placement edits a form body pair by pair, keeping order and encoding")
    func formBody() throws {
        var request = request(contentType: "application/x-www-form-urlencoded")
        var body: [UInt8]? = Array("grant_type=refresh_token&client%5Fid=stale&refresh_token=pdr-a%2Bb&secret=old".utf8)
        try CredentialPlacement.body(secretField: .clientSecret).apply(
            ClientCredentials(clientID: "c 1", secret: "p+w&d"), to: &request, body: &body
        )
        #expect(
            String(decoding: body ?? [], as: UTF8.self)
                == "grant_type=refresh_token&refresh_token=pdr-a%2Bb&client_id=c+1&client_secret=p%2Bw%26d"
        )
    }

    @Test("Basic placement form-url-encodes both parts and strips body credentials")
    func basic() throws {
        var request = request(contentType: "application/x-www-form-urlencoded")
        var body: [UInt8]? = Array("token=pda-1&client_id=c&client_secret=s".utf8)
        let special = ClientCredentials(clientID: "client-9", secret: "a+b:c")
        try CredentialPlacement.basic.apply(special, to: &request, body: &body)
        let header = try #require(request.headerFields[.authorization])
        #expect(try BasicAuthorization.parse(header) == special)
        #expect(request.headerFields[.plaidSecret] == nil)
        #expect(String(decoding: body ?? [], as: UTF8.self) == "token=pda-1")
    }

    @Test("bearer placement carries an API key and nothing else")
    func bearer() throws {
        var request = request()
        var body: [UInt8]? = Array(#"{"data":{"type":"share-tokens"}}"#.utf8)
        try CredentialPlacement.bearer.apply(.apiKey(APIKey("key-123")), to: &request, body: &body)
        #expect(request.headerFields[values: .authorization] == ["Bearer key-123"])
        #expect(request.headerFields[.plaidClientID] == nil)
        #expect(String(decoding: body ?? [], as: UTF8.self) == #"{"data":{"type":"share-tokens"}}"#, "untouched: no credential fields")
    }

    @Test("a placement refuses a credential it cannot carry")
    func mismatchedCredential() {
        var request = request()
        var body: [UInt8]? = nil
        #expect(throws: CredentialsError.self) { try CredentialPlacement.bearer.apply(credentials, to: &request, body: &body) }
        #expect(throws: CredentialsError.self) { try CredentialPlacement.headers.apply(.apiKey(APIKey("k")), to: &request, body: &body) }
        var text = HTTPRequest(method: .post, scheme: "https", authority: "h", path: "/")
        text.headerFields[.contentType] = "text/plain"
        var plain: [UInt8]? = Array("hello".utf8)
        #expect(throws: CredentialsError.self) { try CredentialPlacement.body().apply(credentials, to: &text, body: &plain) }
    }

    @Test("removing credentials catches escaped field names and keeps everything else")
    func removeCredentials() throws {
        var json = request()
        var jsonBody: [UInt8]? = Array(#"{"\u0073ecret":"hidden","token":"t"}"#.utf8)
        try CredentialPlacement.removeCredentials(from: &json, body: &jsonBody)
        #expect(try fields(jsonBody) == ["token": "t"])
        #expect(json.headerFields[.authorization] == nil && json.headerFields[.plaidClientID] == nil)

        var form = request(contentType: "application/x-www-form-urlencoded; charset=utf-8")
        var formBody: [UInt8]? = Array("%73ecret=hidden&token=t".utf8)
        try CredentialPlacement.removeCredentials(from: &form, body: &formBody)
        #expect(String(decoding: formBody ?? [], as: UTF8.self) == "token=t")

        var untouched = request()
        let original: [UInt8] = Array(#"{"token":"pda-x"}"#.utf8)
        var same: [UInt8]? = original
        try CredentialPlacement.removeCredentials(from: &untouched, body: &same)
        #expect(same == original)
    }
}
