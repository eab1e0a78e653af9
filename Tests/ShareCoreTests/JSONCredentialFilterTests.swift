import Foundation
import NIOCore
import Testing

@testable import ShareCore

@Suite("JSONCredentialFilter")
struct JSONCredentialFilterTests {
    let filter = JSONCredentialFilter()

    func inspect(_ text: String) throws -> InspectedBody {
        try filter.inspect(ByteBuffer(string: text))
    }

    func object(_ body: InspectedBody) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(body.body.readableBytesView)) as? [String: Any])
    }

    @Test("a body without credentials is forwarded byte for byte")
    func untouchedWithoutCredentials() throws {
        let text = #"{ "grant_type" : "client_credentials", "scope": "user:read", "n": [1, 2.5e3, {"a": null}] }"#
        let result = try inspect(text)
        #expect(!result.removedCredentials)
        #expect(String(buffer: result.body) == text)
        #expect(result.grantType == "client_credentials")
    }

    @Test("client_id, secret and client_secret are removed wherever they sit")
    func credentialsRemoved() throws {
        let result = try inspect(#"{"client_id":"attacker","grant_type":"client_credentials","secret":"s1","scope":"user:read","client_secret":"s2"}"#)
        #expect(result.removedCredentials)
        let fields = try object(result)
        #expect(Set(fields.keys) == ["grant_type", "scope"])
        #expect(!String(buffer: result.body).contains("attacker"))
    }

    @Test("escaped keys are recognised")
    func escapedKeysRemoved() throws {
        let result = try inspect(#"{"client\u005fid":"attacker","\u0073ecret":"x","a":1}"#)
        #expect(try Set(object(result).keys) == ["a"])
    }

    @Test("repeated credential keys are all removed")
    func duplicateCredentialsRemoved() throws {
        let result = try inspect(#"{"secret":"a","secret":"b","x":true}"#)
        #expect(String(buffer: result.body) == #"{"x":true}"#)
    }

    @Test("an object of only credentials becomes {}")
    func onlyCredentials() throws {
        #expect(String(buffer: try inspect(#"{"client_id":"a","secret":"b"}"#).body) == "{}")
    }

    @Test("nested credential-looking fields are data, not credentials")
    func nestedFieldsKept() throws {
        let text = #"{"data":{"attributes":{"client_id":"x"}}}"#
        #expect(String(buffer: try inspect(text).body) == text)
    }

    @Test("policy fields are decoded, including escapes")
    func policyFieldsDecoded() throws {
        let result = try inspect(#"{"grant_type":"urn:ietf:params:oauth:grant-type:token\u002dexchange","audience":"urn:plaid:params:cra-partner:experian"}"#)
        #expect(result.grantType == "urn:ietf:params:oauth:grant-type:token-exchange")
        #expect(result.audience == "urn:plaid:params:cra-partner:experian")
    }

    @Test("a repeated policy field is refused")
    func duplicatePolicyFieldRefused() {
        #expect(throws: BodyInspectionError.duplicateField("audience")) {
            try inspect(#"{"audience":"a","audience":"b"}"#)
        }
    }

    @Test("a non-string policy field is refused")
    func nonStringPolicyFieldRefused() {
        #expect(throws: BodyInspectionError.nonStringField("audience")) { try inspect(#"{"audience":["a"]}"#) }
    }

    @Test("malformed JSON is refused", arguments: [
        "", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":\"x}", "{\"a\":1} x",
        "{\"a\":\"\\q\"}", "{\"a\":\"\\ud800\"}", "{\"a\":[1,]}", "{a:1}", "{\"a\":\"\u{01}\"}",
    ])
    func malformedRefused(text: String) {
        #expect(throws: BodyInspectionError.self) { try inspect(text) }
    }

    @Test("a top level that is not an object is refused", arguments: ["[]", "\"s\"", "1", "null"])
    func nonObjectRefused(text: String) {
        #expect(throws: BodyInspectionError.notAnObject) { try inspect(text) }
    }

    @Test("nesting is bounded")
    func nestingBounded() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(throws: BodyInspectionError.tooDeep) { try inspect(deep) }
    }

    @Test("surrogate pairs and unicode strings are accepted")
    func unicodeAccepted() throws {
        let text = #"{"name":"\ud83d\ude00 é","client_id":"x"}"#
        #expect(try object(inspect(text))["name"] as? String == "😀 é")
    }
}
