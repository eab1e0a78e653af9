import Foundation
import ShareModels
import ShareWire
import Testing

/// Every request and response JSON example of the spec documents (`shared/spec/*.md`), copied
/// verbatim: each decodes into its ShareModels type and re-encodes to the same JSON document
/// (compared as parsed objects, so only key order and whitespace may differ).
@Suite("Spec golden vectors")
struct SpecGoldenVectorTests {
    /// One example: where it comes from, its JSON, and the type it is.
    struct Vector: Sendable, CustomTestStringConvertible {
        var source: String
        var json: String
        var roundTrip: @Sendable (String) throws -> [UInt8]
        var testDescription: String { source }

        init<T: Codable & Sendable>(_ source: String, _ type: T.Type, _ json: String) {
            self.source = source
            self.json = json
            self.roundTrip = { json in try WireJSON.encode(WireJSON.decode(T.self, from: Array(json.utf8))) }
        }
    }

    static let tokenExchangeRequest = """
        {
          "client_id": "${PLAID_CLIENT_ID}",
          "secret": "${PLAID_SECRET}",
          "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
          "scope": "user:read",
          "subject_token_type":"urn:plaid:params:credit:multi-user",
          "audience": "urn:plaid:params:cra-partner:fannie-mae",
          "subject_token": "usr_9nSp2KuZ2x4JDw"
        }
        """

    static let vectors: [Vector] = [
        Vector("cra-partner-sharing.md /oauth/token request", OAuthTokenRequest.self, tokenExchangeRequest),
        Vector(
            "cra-partner-sharing.md /oauth/token response", OAuthTokenResponse.self,
            """
            {
              "access_token": "pda-RDdg0TUCB0FB25_UPIlnhA==",
              "expires_in": 2591999,
              "refresh_token": "Rpdr--viXurkDg88d5zf8m6Wl0g==",
              "request_id": "vPamXI8hYXPl7P2",
              "token_type": "Bearer"
            }
            """
        ),
        Vector(
            "cra-partner-sharing.md /oauth/revoke request", OAuthRevokeRequest.self,
            """
            {
              "client_id": "${PLAID_CLIENT_ID}",
              "secret": "${PLAID_SECRET}",
              "token": "pda-RDdg0TUCB0FB25_UPIlnhA=="
            }
            """
        ),
        Vector(
            "cra-partner-sharing.md /oauth/revoke response", OAuthRevokeResponse.self,
            """
            {
              "request_id": "pCDVCQK8ve2MzhM"
            }
            """
        ),
        Vector("oauth-api-reference.md /oauth/token request", OAuthTokenRequest.self, tokenExchangeRequest),
        Vector(
            "oauth-api-reference.md /oauth/token response", OAuthTokenResponse.self,
            """
            {
              "access_token": "pda-RDdg0TUCB0FB25_UPIlnhA==",
              "refresh_token": "pdr--viXurkDg88d5zf8m6Wl0g==",
              "expires_in": 900,
              "token_type": "Bearer",
              "request_id": "m8MDqcS6F3lzqvP"
            }
            """
        ),
        Vector(
            "oauth-api-reference.md /oauth/introspect request", OAuthIntrospectRequest.self,
            """
            {
              "client_id": "${PLAID_CLIENT_ID}",
              "secret": "${PLAID_SECRET}",
              "token": "pda-RDdg0TUCB0FB25_UPIlnhA=="
            }
            """
        ),
        Vector(
            "oauth-api-reference.md /oauth/introspect response", OAuthIntrospectResponse.self,
            """
            {
              "active": true,
              "scope": "user:read user:write exchange",
              "client_id": "68028ce48d2b0dec68747f6c",
              "exp": 1670000000,
              "iat": 1670000000,
              "sub": "68028ce48d2b0dec68747f6c",
              "aud": "https://production.plaid.com",
              "iss": "https://production.plaid.com",
              "token_type": "Bearer",
              "request_id": "m8MDqcS6F3lzqvP"
            }
            """
        ),
        Vector(
            "oauth-api-reference.md /oauth/revoke request", OAuthRevokeRequest.self,
            """
            {
              "client_id": "${PLAID_CLIENT_ID}",
              "secret": "${PLAID_SECRET}",
              "token": "pda-RDdg0TUCB0FB25_UPIlnhA=="
              }
            """
        ),
        Vector(
            "oauth-api-reference.md /oauth/revoke response", OAuthRevokeResponse.self,
            """
            {
              "request_id": "m8MDqcS6F3lzqvP"
            }
            """
        ),
    ]

    /// Parses JSON into Foundation objects for a comparison that ignores key order.
    static func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test(arguments: vectors)
    func exampleRoundTripsToTheSameDocument(_ vector: Vector) throws {
        let original = try Self.object(Array(vector.json.utf8))
        let reencoded = try vector.roundTrip(vector.json)
        #expect(try Self.object(reencoded) == original)
        #expect(!String(decoding: reencoded, as: UTF8.self).contains("null"))
    }

    @Test func tokenExchangeExampleDecodesToTheTypedMultiUserRequest() throws {
        let decoded = try WireJSON.decode(OAuthTokenRequest.self, from: Array(Self.tokenExchangeRequest.utf8))
        var expected = OAuthTokenRequest.creditMultiUser(
            user: try UserID("usr_9nSp2KuZ2x4JDw"),
            audience: Audience(Audience.Member(rawValue: "urn:plaid:params:cra-partner:fannie-mae"))
        )
        expected.clientID = "${PLAID_CLIENT_ID}"
        expected.secret = "${PLAID_SECRET}"
        #expect(decoded == expected)
    }

    @Test func introspectExampleKeepsIntegerTimesAndScopes() throws {
        let json = try #require(Self.vectors.first { $0.source.hasSuffix("/oauth/introspect response") }).json
        let decoded = try WireJSON.decode(OAuthIntrospectResponse.self, from: Array(json.utf8))
        #expect(decoded.exp == 1_670_000_000)
        #expect(decoded.iat == 1_670_000_000)
        #expect(decoded.scope == [.userRead, .userWrite, .exchange])
        let encoded = String(decoding: try WireJSON.encode(decoded), as: UTF8.self)
        #expect(encoded.contains("\"exp\":1670000000"))
        #expect(encoded.contains("\"iat\":1670000000"))
    }

    @Test func tokenResponseExampleKeepsExpiresInAnInteger() throws {
        let response = OAuthTokenResponse(
            accessToken: "pda-RDdg0TUCB0FB25_UPIlnhA==", refreshToken: "pdr--viXurkDg88d5zf8m6Wl0g==", expiresIn: 900,
            requestID: "m8MDqcS6F3lzqvP"
        )
        #expect(
            String(decoding: try WireJSON.encode(response), as: UTF8.self)
                == #"{"access_token":"pda-RDdg0TUCB0FB25_UPIlnhA==","expires_in":900,"refresh_token":"pdr--viXurkDg88d5zf8m6Wl0g==","request_id":"m8MDqcS6F3lzqvP","token_type":"Bearer"}"#
        )
    }
}
