import ShareModels
import Testing

@Suite("Redaction")
struct RedactionTests {
    static let secret = "c4a1a8f0d1e2b3c4d5e6f7a8b9c0d1"
    static let clientSecret = "other-client-secret-value"
    static let refreshToken = "pdr--viXurkDg88d5zf8m6Wl0g=="
    static let accessToken = "pda-RDdg0TUCB0FB25_UPIlnhA=="
    static let userToken = "usr_9nSp2KuZ2x4JDw"

    /// Every way a value can be printed: interpolation, description, debugDescription, dump.
    static func renderings(_ value: some CustomStringConvertible & CustomDebugStringConvertible) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", value.description, value.debugDescription, String(reflecting: value), dumped]
    }

    static func expectHidden(_ texts: [String], _ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for secret in secrets {
                #expect(!text.contains(secret), "\(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func tokenRequestsNeverShowSecretsOrTokens() {
        let request = OAuthTokenRequest(
            grantType: .tokenExchange, clientID: "client-1", secret: Self.secret, clientSecret: Self.clientSecret, scope: .read,
            refreshToken: Self.refreshToken, resource: "https://production.plaid.com", audience: Audience(.client("client-2")),
            subjectToken: Self.userToken, subjectTokenType: .oauthUserToken
        )
        let texts = Self.renderings(request)
        Self.expectHidden(texts, [Self.secret, Self.clientSecret, Self.refreshToken, "viXurkDg88d5zf8m6Wl0g", "9nSp2KuZ2x4JDw"])
        for text in texts {
            #expect(text.contains("client-1"))
            #expect(text.contains(Redaction.marker))
        }
        #expect(request.description.contains("refresh_token: pdr-<redacted>"))
        #expect(request.description.contains("subject_token: usr_<redacted>"))
    }

    @Test func tokenResponsesShowOnlyTheTokenPrefix() {
        let response = OAuthTokenResponse(accessToken: Self.accessToken, refreshToken: Self.refreshToken, expiresIn: 900, requestID: "req-1")
        let texts = Self.renderings(response)
        Self.expectHidden(texts, [Self.accessToken, Self.refreshToken, "RDdg0TUCB0FB25", "viXurkDg88d5zf8m6Wl0g"])
        #expect(response.description.contains("access_token: pda-<redacted>"))
        #expect(response.description.contains("expires_in: 900"))
        #expect(response.description.contains("request_id: req-1"))
    }

    @Test func introspectRevokeAndUserCreateRequestsHideTheirSecrets() {
        let introspect = OAuthIntrospectRequest(token: Self.accessToken, clientID: "c", secret: Self.secret)
        let revoke = OAuthRevokeRequest(token: Self.refreshToken, clientID: "c", clientSecret: Self.clientSecret)
        let user = UserCreateRequest(clientUserID: "user-1", clientID: "c", secret: Self.secret)
        let texts = Self.renderings(introspect) + Self.renderings(revoke) + Self.renderings(user)
        Self.expectHidden(texts, [Self.secret, Self.clientSecret, Self.accessToken, Self.refreshToken])
    }

    @Test func secretsPrintAsTheMarkerAndTokensKeepTheirTypePrefix() {
        #expect(Redaction.secret("abc") == "<redacted>")
        #expect(Redaction.secret(nil) == "nil")
        #expect(Redaction.token(Self.accessToken) == "pda-<redacted>")
        #expect(Redaction.token(Self.userToken) == "usr_<redacted>")
        #expect(Redaction.token("noprefixatall") == "<redacted>")
        #expect(Redaction.token(nil) == "nil")
    }

    @Test func truncationShowsEnoughToTellLongTokensApart() {
        #expect(Redaction.truncated(Self.accessToken) == "pda-RDdg…hA==")
        #expect(Redaction.truncated("pda-short") == "pda-<redacted>")
    }
}
