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
}
