import ShareModels
import Testing

@Suite("Typed token-exchange constructors")
struct TokenExchangeRequestTests {
    @Test func creditMultiUserSharesAUserWithEveryAudienceMember() throws {
        let user = try UserID("usr_9nSp2KuZ2x4JDw")
        let request = OAuthTokenRequest.creditMultiUser(
            user: user, audience: Audience("urn:plaid:params:cra-partner:experian", "urn:plaid:params:cra-partner:fannie-mae")
        )
        #expect(request.grantType == .tokenExchange)
        #expect(request.subjectTokenType == .creditMultiUser)
        #expect(request.subjectToken == user.rawValue)
        #expect(request.audience?.wireValue == "urn:plaid:params:cra-partner:experian,urn:plaid:params:cra-partner:fannie-mae")
        #expect(request.scope == .read)
    }

    @Test func userTokenSetsTheAudienceToTheCallersClientID() throws {
        let request = OAuthTokenRequest.userToken(user: try UserID("usr_1"), clientID: "client-1")
        #expect(request.subjectTokenType == .user)
        #expect(request.audience?.wireValue == "client-1")
    }

    @Test func oauthUserTokenExchangesARefreshTokenForAnotherClient() {
        let request = OAuthTokenRequest.oauthUserToken(refreshToken: "pdr-x", audience: "other-client")
        #expect(request.subjectTokenType == .oauthUserToken)
        #expect(request.subjectToken == "pdr-x")
        #expect(request.audience?.wireValue == "other-client")
    }

    @Test func theSecretMayArriveInEitherField() {
        #expect(OAuthTokenRequest(grantType: .clientCredentials, secret: "a", clientSecret: "b").anySecret == "a")
        #expect(OAuthTokenRequest(grantType: .clientCredentials, clientSecret: "b").anySecret == "b")
    }
}
