import Hummingbird
import ShareModels
import ShareWire
import Testing

@testable import ShareSandbox

/// The hand-written answers of ``JSONObjectWriter`` must be byte for byte what `WireJSON` (Foundation's
/// `JSONEncoder`, sorted keys) writes for the same value.
@Suite("direct JSON answers")
struct DirectJSONTests {
    /// Every control character, both characters JSON escapes, a slash (left unescaped), non-ASCII
    /// text, DEL and a line separator (both written raw).
    static let awkward: String = {
        var text = ""
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return text + "\"\\/é\u{7F}\u{2028}🔑"
    }()

    static func direct(_ value: some DirectJSONEncodable) -> [UInt8] {
        var writer = JSONObjectWriter()
        value.writeJSON(to: &writer)
        return Array(writer.finish().readableBytesView)
    }

    static func foundation(_ value: some Encodable) throws -> [UInt8] { try WireJSON.encode(value) }

    @Test("an active introspection, every field present")
    func activeIntrospection() throws {
        let answer = OAuthIntrospectResponse(
            active: true, scope: [.userRead, .userWrite], clientID: "client-1", exp: 1_893_456_000, iat: -5,
            sub: "usr_abc", aud: "urn:plaid:params:tokens:partner:experian,other", iss: "https://sandbox.example/",
            tokenType: "Bearer", userID: "usr_abc", requestID: "req0000000000001")
        let expected = try Self.foundation(answer)
        #expect(Self.direct(answer) == expected)
    }

    @Test("an inactive introspection is exactly active and request_id")
    func inactiveIntrospection() throws {
        let answer = OAuthIntrospectResponse.inactive(requestID: "abc")
        let expected = try Self.foundation(answer)
        #expect(Self.direct(answer) == expected)
        #expect(String(decoding: Self.direct(answer), as: UTF8.self) == #"{"active":false,"request_id":"abc"}"#)
    }

    @Test("strings that need escaping are escaped as JSONEncoder escapes them")
    func escaping() throws {
        let answer = OAuthIntrospectResponse(
            active: true, clientID: Self.awkward, exp: Int.max, iat: Int.min, sub: "", aud: Self.awkward, requestID: Self.awkward)
        let expected = try Self.foundation(answer)
        #expect(Self.direct(answer) == expected)
        let error = OAuthErrorBody(error: "invalid_request", errorDescription: Self.awkward, requestID: "r")
        let expectedError = try Self.foundation(error)
        #expect(Self.direct(error) == expectedError)
    }

    @Test("token, revoke and error answers")
    func otherAnswers() throws {
        let token = OAuthTokenResponse(accessToken: "pda-x", refreshToken: "pdr-y", expiresIn: 900, requestID: "r1")
        let expectedToken = try Self.foundation(token)
        #expect(Self.direct(token) == expectedToken)
        let revoke = OAuthRevokeResponse(requestID: "r2")
        let expectedRevoke = try Self.foundation(revoke)
        #expect(Self.direct(revoke) == expectedRevoke)
        let error = OAuthErrorBody(error: "invalid_client", errorDescription: "client authentication failed", requestID: "r3")
        let expectedError = try Self.foundation(error)
        #expect(Self.direct(error) == expectedError)
    }
}
