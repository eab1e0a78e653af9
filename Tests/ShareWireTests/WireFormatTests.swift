import ShareModels
import ShareWire
import Testing

@Suite("WireFormat")
struct WireFormatTests {
    @Test(arguments: [
        ("application/json", WireFormat.json),
        ("application/json; charset=utf-8", .json),
        ("Application/JSON ;charset=UTF-8", .json),
        (" application/json ", .json),
        ("application/x-www-form-urlencoded", .form),
        ("application/x-www-form-urlencoded; charset=UTF-8", .form),
    ])
    func recognisesTheContentType(_ header: String, _ expected: WireFormat) {
        #expect(WireFormat(contentType: header) == expected)
    }

    @Test(arguments: ["text/plain", "application/jsonx", "multipart/form-data; boundary=x", "", "json"])
    func rejectsOtherContentTypes(_ header: String) {
        #expect(WireFormat(contentType: header) == nil)
    }

    @Test func namesItsOwnContentType() {
        #expect(WireFormat.json.contentType == "application/json")
        #expect(WireFormat.form.contentType == "application/x-www-form-urlencoded")
        #expect(WireFormat(contentType: WireFormat.json.contentType) == .json)
        #expect(WireFormat(contentType: WireFormat.form.contentType) == .form)
    }

    @Test func encodesWithTheMatchingCodec() throws {
        let request = OAuthRevokeRequest(token: "pda-x", clientID: "c")
        #expect(try WireFormat.form.encode(request) == Array(FormEncoder().encode(request).utf8))
        #expect(try WireFormat.json.encode(request) == WireJSON.encode(request))
        #expect(String(decoding: try WireFormat.form.encode(request), as: UTF8.self) == "token=pda-x&client_id=c")
    }

    @Test func decodingTheWrongFormatIsAWireError() {
        #expect(throws: WireError.self) {
            try WireFormat.json.decode(OAuthRevokeRequest.self, from: Array("token=pda-x".utf8))
        }
        #expect(throws: WireError(codingPath: ["token"], reason: "missing required field")) {
            try WireFormat.form.decode(OAuthRevokeRequest.self, from: Array(#"{"token":"pda-x"}"#.utf8))
        }
    }
}
