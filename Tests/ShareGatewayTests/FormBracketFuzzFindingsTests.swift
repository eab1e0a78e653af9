import NIOCore
import ShareWire
import Testing

@testable import ShareGateway
import ShareCore

/// Regressions found by `scripts/fuzz gateway-body`: ShareWire's form decoder, which the sandbox
/// upstream uses, reads `client_id[]=x` as `client_id = "x"`. The gateway must therefore treat a
/// bracketed key as its base field, both when it strips credentials and when it reads the fields
/// its policies decide on.
@Suite("Bracketed form keys count as their base field (fuzz findings)")
struct FormBracketFuzzFindingsTests {
    let filter = FormCredentialFilter()

    /// What the upstream would read from a form body.
    struct UpstreamView: Decodable {
        var clientID: String?
        var secret: String?
        var clientSecret: String?
        var audience: String?
        enum CodingKeys: String, CodingKey {
            case clientID = "client_id", secret, clientSecret = "client_secret", audience
        }
    }

    @Test("the upstream's decoder does read a bracketed credential key as the field itself")
    func upstreamReadsBracketedKeys() throws {
        #expect(try FormDecoder().decode(UpstreamView.self, from: "client_id[]=x").clientID == "x")
    }

    @Test("bracketed credential keys are removed", arguments: ["client_id[]=x", "secret[]=x", "client_secret[]=x", "client%5Fid%5B%5D=x", "client_id[a]=x"])
    func bracketedCredentialsRemoved(pair: String) throws {
        let inspected = try filter.inspect(ByteBuffer(string: "grant_type=client_credentials&" + pair))
        #expect(inspected.removedCredentials)
        let forwarded = String(buffer: inspected.body)
        #expect(forwarded == "grant_type=client_credentials")
        let view = try FormDecoder().decode(UpstreamView.self, from: forwarded)
        #expect(view.clientID == nil && view.secret == nil && view.clientSecret == nil)
    }

    @Test("a bracketed audience is the audience the policy checks, and may not repeat")
    func bracketedAudienceIsSeenByThePolicy() throws {
        let inspected = try filter.inspect(ByteBuffer(string: "grant_type=x&audience[]=urn:evil"))
        #expect(inspected.audience == "urn:evil")
        #expect(throws: BodyInspectionError.self) { try filter.inspect(ByteBuffer(string: "audience=a&audience[]=b")) }
    }
}
