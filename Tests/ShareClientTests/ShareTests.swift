import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareWire
import Testing

@Suite("share(user:with:scope:)")
struct ShareTests {
    let partners = try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()])

    func client(_ api: MockAPI, placement: CredentialPlacement = .headers) -> OAuthClient {
        OAuthClient(
            environment: .sandbox, credentials: ClientCredentials(clientID: Fixtures.clientID, secret: Fixtures.secret), transport: api,
            partners: partners, configuration: .init(credentialPlacement: placement)
        )
    }

    let grantResponse =
        #"{"access_token":"pda-RDdg0TUCB0FB25_UPIlnhA==","expires_in":2591999,"refresh_token":"Rpdr--viXurkDg88d5zf8m6Wl0g==","request_id":"vPamXI8hYXPl7P2","token_type":"Bearer"}"#

    @Test("sharing with Fannie Mae sends exactly the request of the partner-sharing guide")
    func wireFormMatchesSpec() async throws {
        let api = MockAPI(body: grantResponse)
        let grant = try await client(api, placement: .body()).share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae], scope: .read)
        let sent = try #require(api.sent.first)
        #expect(sent.path == "/oauth/token")
        #expect(sent.request.headerFields[.contentType] == "application/json")
        // The body of the guide's curl example, field for field.
        #expect(
            try sent.json() == [
                "client_id": Fixtures.clientID,
                "secret": Fixtures.secret,
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                "scope": "user:read",
                "subject_token_type": "urn:plaid:params:credit:multi-user",
                "audience": "urn:plaid:params:cra-partner:fannie-mae",
                "subject_token": "usr_9nSp2KuZ2x4JDw",
            ]
        )
        #expect(grant.partners == [.fannieMae])
        #expect(grant.partnerNames == ["Fannie Mae"])
        #expect(grant.accessToken == "pda-RDdg0TUCB0FB25_UPIlnhA==")
        #expect(grant.refreshToken == "Rpdr--viXurkDg88d5zf8m6Wl0g==")
        #expect(grant.expiresIn == 2_591_999 && grant.requestID == "vPamXI8hYXPl7P2")
        #expect(!grant.isMultiParty)
        #expect(!"\(grant)".contains("RDdg0TUCB0FB25"))
    }

    @Test("several partners make one multi-party token with a comma-joined audience, in the order given")
    func multiParty() async throws {
        let api = MockAPI(body: grantResponse)
        let grant = try await client(api).share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae, .experian], scope: .read)
        let body = try #require(try api.sent.first?.json())
        #expect(body["audience"] == "urn:plaid:params:cra-partner:fannie-mae,urn:plaid:params:cra-partner:experian")
        #expect(body["subject_token_type"] == "urn:plaid:params:credit:multi-user")
        #expect(body["client_id"] == nil && body["secret"] == nil, "headers placement keeps the body free of credentials")
        #expect(api.sent.first?.request.headerFields[.plaidClientID] == Fixtures.clientID)
        #expect(grant.partners == [.fannieMae, .experian])
        #expect(grant.isMultiParty)
    }

    @Test("aliases and repeats resolve to one member each; the default scope is the partners'")
    func aliasesAndDefaults() async throws {
        let api = MockAPI(body: grantResponse)
        let grant = try await client(api).share(user: "usr_abc", with: [.fannieMae, "FNMA", "urn:plaid:params:cra-partner:freddie-mac"])
        #expect(grant.partners == [.fannieMae, .freddieMac])
        let body = try #require(try api.sent.first?.json())
        #expect(body["audience"] == "urn:plaid:params:cra-partner:fannie-mae,urn:plaid:params:cra-partner:freddie-mac")
        #expect(body["scope"] == "user:read")
    }

    @Test("client ids can join partners in the audience")
    func mixedAudience() async throws {
        let api = MockAPI(body: grantResponse)
        let grant = try await client(api).share(user: "usr_abc", with: [.experian], clients: ["lender-client-2"], scope: .read)
        #expect(try api.sent.first?.json()["audience"] == "urn:plaid:params:cra-partner:experian,lender-client-2")
        #expect(grant.clientIDs == ["lender-client-2"])
    }

    @Test("an unknown partner is refused before any request, listing the known partners")
    func unknownPartner() async throws {
        let api = MockAPI(body: grantResponse)
        await #expect {
            try await client(api).share(user: "usr_abc", with: [.experian, "equifax"], scope: .read)
        } throws: { error in
            guard let error = error as? ShareClientError, error.code == .partners,
                let refusal = error.underlyingError as? PartnerRegistryError, refusal.code == .unknownPartner
            else { return false }
            let text = "\(error)"
            return refusal.name == "equifax" && refusal.knownPartners == [.experian, .fannieMae, .freddieMac]
                && text.contains("experian, fannie-mae, freddie-mac")
        }
        #expect(api.sent.isEmpty)
    }

    @Test("a partner's rules are checked before any request")
    func rulesBeforeNetwork() async throws {
        let api = MockAPI(body: grantResponse)
        await #expect {
            try await client(api).share(user: "usr_abc", with: [.fannieMae, .experian], scope: .readWrite)
        } throws: { error in
            guard let refusal = (error as? ShareClientError)?.underlyingError as? PartnerRegistryError,
                refusal.code == .rejected, let violation = refusal.violation
            else { return false }
            return violation.isScopeProblem && violation.partner == .fannieMae
        }
        await #expect {
            try await client(api).share(user: "usr_abc", with: [], scope: .read)
        } throws: { detail($0, PartnerRegistryError.self) == .emptyAudience }
        await #expect {
            try await client(api).share(user: "usr_abc", with: [], clients: ["urn:plaid:params:cra-partner:experian"], scope: .read)
        } throws: { error in
            detail(error, PartnerRegistryError.self)?.code == .rejected
        }
        await #expect { try await client(api).share(user: "user-without-prefix", with: [.experian]) } throws: { detail($0, IdentifierError.self) != nil }
        #expect(api.sent.isEmpty)
    }

    @Test("a client with no registered partners knows none, and says so")
    func emptyRegistry() async throws {
        let api = MockAPI(body: grantResponse)
        let bare = OAuthClient(environment: .sandbox, credentials: nil, transport: api)
        await #expect {
            try await bare.share(user: "usr_abc", with: [.experian])
        } throws: { "\($0)".contains("none are registered") }
    }

    @Test("prepareShare shows the request without sending it")
    func prepare() throws {
        let api = MockAPI(body: grantResponse)
        let prepared = try client(api).prepareShare(user: try UserID("usr_abc"), with: [.freddieMac])
        #expect(prepared.request.audience?.wireValue == "urn:plaid:params:cra-partner:freddie-mac")
        #expect(prepared.request.subjectTokenType == .creditMultiUser)
        #expect(prepared.scope == .read)
        #expect(api.sent.isEmpty)
    }
}
