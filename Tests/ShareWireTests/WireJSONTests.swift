import Foundation
import ShareModels
import ShareWire
import Testing

@Suite("WireJSON")
struct WireJSONTests {
    struct Expiry: Codable, Equatable {
        var expiresIn: Int
        var note: String?
        var values: [Int]?
        enum CodingKeys: String, CodingKey {
            case expiresIn = "expires_in"
            case note
            case values
        }
    }

    private func decodeError<T: Decodable>(_ type: T.Type, _ json: String) -> WireError? {
        do {
            _ = try WireJSON.decode(type, from: Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func leavesOutNilOptionalsInsteadOfWritingNull() throws {
        let bytes = try WireJSON.encode(OAuthIntrospectResponse.inactive(requestID: "req-1"))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"active":false,"request_id":"req-1"}"#)
    }

    @Test func writesKeysInSortedOrderWithUnescapedSlashes() throws {
        let request = OAuthTokenRequest(grantType: .clientCredentials, clientID: "c", resource: "https://a.example/x")
        #expect(
            String(decoding: try WireJSON.encode(request), as: UTF8.self)
                == #"{"client_id":"c","grant_type":"client_credentials","resource":"https://a.example/x"}"#
        )
    }

    @Test func ignoresUnknownFields() throws {
        let decoded = try WireJSON.decode(Expiry.self, from: Array(#"{"expires_in":900,"extra":{"deep":[1,2]},"more":null}"#.utf8))
        #expect(decoded == Expiry(expiresIn: 900))
    }

    @Test func decodesFromAnyByteCollection() throws {
        let json = #"{"expires_in":60}"#
        #expect(try WireJSON.decode(Expiry.self, from: Data(json.utf8)) == Expiry(expiresIn: 60))
        #expect(try WireJSON.decode(Expiry.self, from: Array(json.utf8)[...]) == Expiry(expiresIn: 60))
        #expect(try WireJSON.decode(Expiry.self, from: json.utf8) == Expiry(expiresIn: 60))
    }

    @Test func namesTheFieldAndKindWhenATypeDoesNotMatch() {
        #expect(decodeError(Expiry.self, #"{"expires_in":"900"}"#) == WireError(codingPath: ["expires_in"], reason: "expected an integer, found a string"))
        #expect(decodeError(Expiry.self, #"{"expires_in":true}"#) == WireError(codingPath: ["expires_in"], reason: "expected an integer, found a boolean"))
        #expect(decodeError(Expiry.self, #"{"expires_in":1,"note":{}}"#) == WireError(codingPath: ["note"], reason: "expected a string, found an object"))
        #expect(decodeError(Expiry.self, #"{"expires_in":1,"values":[1,"x"]}"#) == WireError(codingPath: ["values", "1"], reason: "expected an integer, found a string"))
        #expect(decodeError(Expiry.self, #"[1]"#) == WireError(reason: "expected an object, found an array"))
    }

    @Test func describesTheErrorWithADottedAndBracketedPath() {
        let error = decodeError(Expiry.self, #"{"expires_in":1,"values":[1,"x"]}"#)
        #expect(error?.description == "values[1]: expected an integer, found a string")
        #expect(decodeError(Expiry.self, #"{"expires_in":"x"}"#)?.description == "expires_in: expected an integer, found a string")
    }

    @Test func reportsMissingAndNullRequiredFields() {
        #expect(decodeError(Expiry.self, "{}") == WireError(codingPath: ["expires_in"], reason: "missing required field"))
        #expect(decodeError(Expiry.self, #"{"expires_in":null}"#) == WireError(codingPath: ["expires_in"], reason: "expected an integer, found null"))
    }

    @Test("syntaxError names the line and column (in characters) where a file stops being JSON, and nothing for JSON")
    func syntaxErrorPosition() {
        func reason(_ text: String) -> String? { WireJSON.syntaxError(in: Data(text.utf8)) }
        #expect(reason("{\n  \"clients\": [\n    {\"id\": \"a\",, }\n  ]\n}\n") == "invalid value at line 3, column 16")
        #expect(reason(#"{"name": "é", x}"#) == "invalid value at line 1, column 15", "é is one character of two bytes")
        #expect(reason("[1]\n\n  x") == "invalid value at line 3, column 3")
        #expect(reason(#"{"clients": ["#) == "unexpected end of file during JSON parse")
        #expect(reason("") == "unexpected end of file during JSON parse")
        #expect(reason(#"{"clients": [], "port": 8080}"#) == nil)
        #expect(reason(#"{"secret": "hunter2-sk" nope}"#)?.contains("hunter2") == false)
    }

    @Test func reportsInvalidJSONAndNumbersThatDoNotFitWithoutQuotingThem() {
        #expect(decodeError(Expiry.self, #"{"expires_in":9"#) == WireError(reason: "not valid JSON"))
        #expect(decodeError(Expiry.self, "") == WireError(reason: "not valid JSON"))
        let tooBig = decodeError(Expiry.self, #"{"expires_in":123456789012345678901234567890}"#)
        #expect(tooBig?.reason.hasPrefix("a number does not fit its field") == true)
        #expect(tooBig?.description.contains("1234567890") == false)
        #expect(tooBig?.codingPath == ["expires_in"])
        let fractional = decodeError(Expiry.self, #"{"expires_in":900.5}"#)
        #expect(
            fractional?.description
                == "expires_in: a number does not fit its field (fractional where an integer is expected, or out of range)"
        )
        let nested = decodeError(Expiry.self, #"{"expires_in":1,"values":[1,2.5]}"#)
        #expect(nested?.codingPath == ["values", "1"])
        let ambiguous = decodeError(Expiry.self, #"{"expires_in":1.5,"ratio":2.5}"#)
        #expect(ambiguous?.codingPath == [])
    }

    @Test func keepsValidationMessagesOfModelTypesButNotTheirInput() {
        let error = decodeError(UserCreateResponse.self, #"{"user_id":"secret-looking-value","request_id":"r"}"#)
        #expect(error == WireError(codingPath: ["user_id"], reason: "invalid user id: expected a value starting with \"usr_\""))
        #expect(error?.description.contains("secret-looking-value") == false)
    }

    @Test func neverQuotesSecretsInErrors() {
        let secret = "sup3r-s3cret"
        for json in [
            #"{"grant_type":"client_credentials","secret":{"v":"\#(secret)"}}"#,
            #"{"grant_type":"client_credentials","secret":"\#(secret)""#,
            #"{"grant_type":7,"secret":"\#(secret)"}"#,
        ] {
            let error = decodeError(OAuthTokenRequest.self, json)
            #expect(error != nil)
            #expect(error?.description.contains(secret) == false)
        }
    }

    @Test func reportsValuesJSONCannotRepresent() {
        #expect(throws: WireError.self) { try WireJSON.encode(["ratio": Double.nan]) }
    }
}
