import ShareCredentials
import Testing

@Suite("Credentials never print their secrets")
struct RedactionTests {
    let secret = "s3cr3t-VALUE-7f9a"
    let key = "sk_live_KEYVALUE_91"

    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    @Test("ClientCredentials, APIKey and Secret redact description, debugDescription, interpolation and dump")
    func everyRenderingIsRedacted() {
        let credentials = ClientCredentials(clientID: "client-123", secret: secret)
        let apiKey = APIKey(key)
        for text in renderings(credentials) + renderings(Credential.client(credentials)) + renderings(credentials.secret) {
            #expect(!text.contains(secret), "leaked in \(text)")
            #expect(text.contains("<redacted>"))
        }
        for text in renderings(apiKey) + renderings(Credential.apiKey(apiKey)) {
            #expect(!text.contains(key), "leaked in \(text)")
        }
        #expect("\(credentials)".contains("client-123"), "the client id is not a secret")
    }

    @Test("secrets compare equal only when every byte matches, whatever the lengths")
    func constantTimeEquality() {
        #expect(Secret("abc") == Secret("abc"))
        #expect(Secret("abc") != Secret("abd"))
        #expect(Secret("abc") != Secret("abcd"))
        #expect(Secret("") != Secret("a"))
        #expect(Secret("") == Secret(""))
        #expect(!Secret.constantTimeEquals("x", "x\u{0}"))
        #expect(ClientCredentials(clientID: "a", secret: "s") != ClientCredentials(clientID: "b", secret: "s"))
        #expect(APIKey("k1") == APIKey("k1"))
        #expect(APIKey("k1") != APIKey("k2"))
    }
}
