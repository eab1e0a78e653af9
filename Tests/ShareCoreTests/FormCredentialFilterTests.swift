import NIOCore
import Testing

@testable import ShareCore

@Suite("FormCredentialFilter")
struct FormCredentialFilterTests {
    let filter = FormCredentialFilter()

    func inspect(_ text: String) throws -> InspectedBody {
        try filter.inspect(ByteBuffer(string: text))
    }

    @Test("credential pairs are removed, others kept as encoded")
    func credentialsRemoved() throws {
        let result = try inspect("client_id=attacker&grant_type=client_credentials&secret=s&scope=user%3Aread+x&client_secret=t")
        #expect(result.removedCredentials)
        #expect(String(buffer: result.body) == "grant_type=client_credentials&scope=user%3Aread+x")
        #expect(result.grantType == "client_credentials")
    }

    @Test("encoded keys are recognised", arguments: ["client%5Fid=x&a=1", "%63lient_id=x&a=1", "secre%74=x&a=1", "a=1&client_secret=x"])
    func encodedKeysRemoved(text: String) throws {
        #expect(String(buffer: try inspect(text).body) == "a=1")
    }

    @Test("a body without credentials is untouched")
    func untouched() throws {
        let result = try inspect("grant_type=refresh_token&refresh_token=abc")
        #expect(!result.removedCredentials)
        #expect(String(buffer: result.body) == "grant_type=refresh_token&refresh_token=abc")
    }

    @Test("a key without a value is still a credential")
    func keyWithoutValue() throws {
        #expect(String(buffer: try inspect("secret&a=1").body) == "a=1")
    }

    @Test("policy fields are decoded and may not repeat")
    func policyFields() throws {
        let result = try inspect("audience=urn%3Aplaid%3Aparams%3Acra-partner%3Aexperian&grant_type=urn:ietf:params:oauth:grant-type:token-exchange")
        #expect(result.audience == "urn:plaid:params:cra-partner:experian")
        #expect(throws: BodyInspectionError.duplicateField("audience")) { try inspect("audience=a&audience=b") }
    }

    @Test("malformed escapes are refused", arguments: ["a=%zz", "client_id=%4", "%=1"])
    func malformedRefused(text: String) {
        #expect(throws: BodyInspectionError.invalidForm) { try inspect(text) }
    }

    @Test("query strings lose their credentials")
    func queryFiltered() throws {
        #expect(try filter.filterQuery("limit=10&client_secret=x") == "limit=10")
        #expect(try filter.filterQuery("secret=x") == nil)
        #expect(try filter.filterQuery("limit=10") == "limit=10")
    }
}
