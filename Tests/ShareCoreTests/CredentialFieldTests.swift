import Foundation
import NIOCore
import Testing

import ShareCore

@Suite("CredentialField")
struct CredentialFieldTests {
    @Test("the credential fields are client_id, secret and client_secret")
    func names() {
        #expect(CredentialField.names == ["client_id", "secret", "client_secret"])
    }

    @Test("a bracketed form name counts as its base field", arguments: ["client_id[]", "secret[a]", "client_secret"])
    func formName(name: String) {
        #expect(CredentialField(formName: name) != nil)
    }

    @Test("other names are not credential fields", arguments: ["client", "[client_id]", "client_id_x", "Secret"])
    func notCredential(name: String) {
        #expect(CredentialField(formName: name) == nil)
    }

    @Test("both gateway filters remove every credential field", arguments: CredentialField.allCases)
    func filtersRemoveEveryField(field: CredentialField) throws {
        let form = try FormCredentialFilter().inspect(ByteBuffer(string: "\(field.rawValue)=x&scope=a"))
        #expect(String(buffer: form.body) == "scope=a")
        let json = try JSONCredentialFilter().inspect(ByteBuffer(string: #"{"\#(field.rawValue)":"x","scope":"a"}"#))
        #expect(String(buffer: json.body) == #"{"scope":"a"}"#)
    }

    @Test("PresentedCredentials reads the body fields the filters remove")
    func presentedReadsTheSameFields() {
        var presented = PresentedCredentials()
        presented.addBody(clientID: "id", secret: "s", clientSecret: "s")
        #expect(presented.sources.map(\.clientID) == ["id"])
        #expect(presented.sources.map(\.secretCandidates) == [["s"]])
    }

    @Test("PresentedCredentials form-url-decodes HTTP Basic with the one decoder, keeping the raw reading too")
    func presentedBasic() {
        var presented = PresentedCredentials()
        presented.addAuthorization("Basic " + Data("a%2Bb:c+d".utf8).base64EncodedString())
        #expect(presented.sources.first?.clientID == "a+b")
        #expect(presented.sources.first?.secretCandidates == ["c d", "c+d"])
    }
}
