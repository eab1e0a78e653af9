import Foundation
import ShareCredentials
import Testing

@Suite("HTTP Basic client authentication")
struct BasicAuthorizationTests {
    func header(_ raw: String) -> String { "Basic " + Data(raw.utf8).base64EncodedString() }

    @Test("encoding form-url-encodes both parts before Base64 (RFC 6749 §2.3.1)")
    func encodes() {
        let value = BasicAuthorization.headerValue(for: ClientCredentials(clientID: "id:1", secret: "a+b c/é"))
        #expect(value == header("id%3A1:a%2Bb+c%2F%C3%A9"))
    }

    @Test("parsing round-trips any id and secret")
    func roundTrip() throws {
        for (id, secret) in [("client", "s3cret"), ("id:1", "a+b c/é%"), ("x", ""), ("ü", "::")] {
            let credentials = ClientCredentials(clientID: id, secret: secret)
            #expect(try BasicAuthorization.parse(BasicAuthorization.headerValue(for: credentials)) == credentials)
        }
    }

    @Test("%2B is always a plus sign")
    func encodedPlus() throws {
        #expect(try BasicAuthorization.parse(header("client:a%2Bb")).secret == Secret("a+b"))
        #expect(try BasicAuthorization.parse(header("client:a%2Bb"), plus: .literal).secret == Secret("a+b"))
    }

    @Test("a raw + is a space by the RFC, a plus when read literally, and candidates offer both")
    func rawPlus() throws {
        #expect(try BasicAuthorization.parse(header("client:a+b")).secret == Secret("a b"))
        #expect(try BasicAuthorization.parse(header("client:a+b"), plus: .literal).secret == Secret("a+b"))
        let candidates = try BasicAuthorization.candidates(header("client:a+b"))
        #expect(candidates.map(\.secret) == [Secret("a b"), Secret("a+b")])
        #expect(try BasicAuthorization.candidates(header("client:a%2Bb")).count == 1)
    }

    @Test("the scheme is case-insensitive and missing Base64 padding is tolerated")
    func lenientSyntax() throws {
        let unpadded = "basic " + Data("c:s1".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(try BasicAuthorization.parse(unpadded) == ClientCredentials(clientID: "c", secret: "s1"))
        #expect(BasicAuthorization.isBasic("BASIC abc"))
        #expect(!BasicAuthorization.isBasic("Bearer abc"))
    }

    @Test("malformed values are refused without echoing them", arguments: [
        "Bearer abc", "Basic", "Basic !!!", "Basic " + Data("no-colon".utf8).base64EncodedString(),
        "Basic " + Data(":secret".utf8).base64EncodedString(), "Basic " + Data("c:bad%zz".utf8).base64EncodedString(),
    ])
    func malformed(value: String) {
        #expect {
            try BasicAuthorization.parse(value)
        } throws: { error in
            let error = error as? CredentialsError
            return error?.code == .malformedAuthorization && error?.description.contains("secret%") == false
        }
    }
}
