import ShareModels
import ShareWire
import Testing

@testable import ShareSandbox

/// The fast path for `/oauth/introspect` and `/oauth/revoke` bodies must read exactly what
/// `WireJSON` reads, and decline everything else.
@Suite("flat JSON string objects")
struct FlatJSONStringObjectTests {
    static func fields(_ text: String) -> [String: String]? { FlatJSONStringObject(Array(text.utf8))?.fields }

    @Test("a flat object of strings is read, whitespace and unknown fields included")
    func reads() {
        #expect(Self.fields(#"{"token":"pda-1"}"#) == ["token": "pda-1"])
        #expect(Self.fields(" {\n\t\"token\" : \"pda-1\" , \"client_id\":\"é\", \"x\":\"\" }\r\n") == ["token": "pda-1", "client_id": "é", "x": ""])
        #expect(Self.fields("{}") == [:])
    }

    @Test(
        "anything else is declined, for JSONDecoder to judge",
        arguments: [
            #"{"token":"a\"b"}"#, #"{"token":1}"#, #"{"token":null}"#, #"{"token":true}"#, #"{"token":{"a":"b"}}"#,
            #"{"token":["a"]}"#, #"{"token":"a","token":"b"}"#, #"{"token":"a"} x"#, #"{"token":"a",}"#, #"{"token" "a"}"#,
            #"["token"]"#, "", "{", #"{"token":"a"#, "{\"token\":\"a\u{1}\"}",
        ])
    func declines(_ text: String) {
        #expect(Self.fields(text) == nil)
    }

    @Test("invalid UTF-8 inside a string is declined")
    func invalidUTF8() {
        let bytes = Array(#"{"token":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(FlatJSONStringObject(bytes) == nil)
    }

    @Test(
        "requests built from the fast path equal JSONDecoder's",
        arguments: [
            #"{"token":"pda-1"}"#, #"{"token":"pda-1","client_id":"c","secret":"s"}"#,
            #"{"client_secret":"s2","token":"pdr-2","client_id":"c","extra":"ignored"}"#,
        ])
    func sameAsJSONDecoder(_ text: String) throws {
        let fields = try #require(Self.fields(text))
        let fast = try #require(OAuthIntrospectRequest(flatFields: fields))
        let slow = try WireJSON.decode(OAuthIntrospectRequest.self, from: Array(text.utf8))
        #expect(fast == slow)
        let fastRevoke = try #require(OAuthRevokeRequest(flatFields: fields))
        let slowRevoke = try WireJSON.decode(OAuthRevokeRequest.self, from: Array(text.utf8))
        #expect(fastRevoke == slowRevoke)
    }

    @Test("without a token the fast path steps aside, so the error is JSONDecoder's")
    func missingToken() {
        #expect(OAuthIntrospectRequest(flatFields: ["client_id": "c"]) == nil)
        #expect(OAuthRevokeRequest(flatFields: [:]) == nil)
    }
}
