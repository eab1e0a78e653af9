import ShareModels
import ShareWire
import Testing

/// The spec says the form fields of the OAuth endpoints are equivalent to the JSON fields: the
/// same request written either way decodes to the same value.
@Suite("Form and JSON equivalence")
struct FormJSONEquivalenceTests {
    struct Pair: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var form: String
        var decodesEqually: @Sendable (String, String) throws -> Bool
        var testDescription: String { name }

        init<T: Decodable & Equatable & Sendable>(_ name: String, _ type: T.Type, json: String, form: String) {
            self.name = name
            self.json = json
            self.form = form
            self.decodesEqually = { json, form in
                try WireFormat.json.decode(T.self, from: Array(json.utf8)) == WireFormat.form.decode(T.self, from: Array(form.utf8))
            }
        }
    }

    static let pairs: [Pair] = [
        Pair(
            "client_credentials", OAuthTokenRequest.self,
            json: #"{"grant_type":"client_credentials","client_id":"client-1","client_secret":"s3cret","scope":"user:read user:write"}"#,
            form: "grant_type=client_credentials&client_id=client-1&client_secret=s3cret&scope=user%3Aread+user%3Awrite"
        ),
        Pair(
            "refresh_token", OAuthTokenRequest.self,
            json: #"{"grant_type":"refresh_token","refresh_token":"pdr--viXurkDg88d5zf8m6Wl0g==","client_id":"c","secret":"s","scope":"user:read"}"#,
            form: "grant_type=refresh_token&refresh_token=pdr--viXurkDg88d5zf8m6Wl0g%3D%3D&client_id=c&secret=s&scope=user%3Aread"
        ),
        Pair(
            "token exchange, credit multi-user", OAuthTokenRequest.self,
            json: #"""
                {"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","scope":"user:read",
                 "subject_token_type":"urn:plaid:params:credit:multi-user",
                 "audience":"urn:plaid:params:cra-partner:experian,urn:plaid:params:cra-partner:fannie-mae",
                 "subject_token":"usr_9nSp2KuZ2x4JDw","resource":"https://production.plaid.com/credit"}
                """#,
            form: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&scope=user%3Aread"
                + "&subject_token_type=urn%3Aplaid%3Aparams%3Acredit%3Amulti-user"
                + "&audience=urn%3Aplaid%3Aparams%3Acra-partner%3Aexperian%2Curn%3Aplaid%3Aparams%3Acra-partner%3Afannie-mae"
                + "&subject_token=usr_9nSp2KuZ2x4JDw&resource=https%3A%2F%2Fproduction.plaid.com%2Fcredit"
        ),
        Pair(
            "token exchange, user token", OAuthTokenRequest.self,
            json: #"{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","subject_token_type":"urn:plaid:params:tokens:user","audience":"client-1","subject_token":"usr_abc","client_id":"client-1"}"#,
            form: "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token_type=urn:plaid:params:tokens:user"
                + "&audience=client-1&subject_token=usr_abc&client_id=client-1"
        ),
        Pair(
            "token exchange, oauth user token", OAuthTokenRequest.self,
            json: #"{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","subject_token_type":"urn:plaid:params:oauth:user-token","audience":"other-client","subject_token":"pdr-abc+/=","scope":"exchange"}"#,
            form: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                + "&subject_token_type=urn%3Aplaid%3Aparams%3Aoauth%3Auser-token&audience=other-client"
                + "&subject_token=pdr-abc%2B%2F%3D&scope=exchange"
        ),
        Pair(
            "introspect", OAuthIntrospectRequest.self,
            json: #"{"token":"pda-RDdg0TUCB0FB25_UPIlnhA==","client_id":"c","client_secret":"a b"}"#,
            form: "token=pda-RDdg0TUCB0FB25_UPIlnhA%3D%3D&client_id=c&client_secret=a%20b"
        ),
        Pair(
            "revoke", OAuthRevokeRequest.self,
            json: #"{"token":"pda-RDdg0TUCB0FB25_UPIlnhA==","client_id":"c","secret":"s"}"#,
            form: "token=pda-RDdg0TUCB0FB25_UPIlnhA%3D%3D&client_id=c&secret=s"
        ),
        Pair(
            "user create", UserCreateRequest.self,
            json: #"{"client_user_id":"user-é 1","client_id":"c","secret":"s"}"#,
            form: "client_user_id=user-%C3%A9+1&client_id=c&secret=s"
        ),
    ]

    @Test(arguments: pairs)
    func formAndJSONDecodeToTheSameValue(_ pair: Pair) throws {
        #expect(try pair.decodesEqually(pair.json, pair.form))
    }

    @Test func everyTypedTokenRequestEncodedEitherWayDecodesToItself() throws {
        let user = try UserID("usr_9nSp2KuZ2x4JDw")
        let requests: [OAuthTokenRequest] = [
            .clientCredentials(scope: .readWrite),
            .refresh("pdr--viXurkDg88d5zf8m6Wl0g==", scope: [.userRead, "custom:scope"]),
            .creditMultiUser(user: user, audience: Audience(.client("partner-client"), "urn:plaid:params:cra-partner:freddie-mac")),
            .userToken(user: user, clientID: "client-1"),
            .oauthUserToken(refreshToken: "pdr-x+y/z=", audience: "other-client", scope: [.exchange]),
        ]
        for request in requests {
            let fromJSON = try WireFormat.json.decode(OAuthTokenRequest.self, from: WireFormat.json.encode(request))
            let fromForm = try WireFormat.form.decode(OAuthTokenRequest.self, from: WireFormat.form.encode(request))
            #expect(fromJSON == request)
            #expect(fromForm == request)
        }
    }
}
