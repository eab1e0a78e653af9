import Foundation
import ShareModels
import Testing

@Suite("OAuthErrorCode")
struct OAuthErrorCodeTests {
    @Test(arguments: [
        (OAuthErrorCode.invalidRequest, 400), (.invalidClient, 401), (.invalidGrant, 400), (.unauthorizedClient, 400),
        (.invalidScope, 400), (.unsupportedGrantType, 400), (.invalidTarget, 400), (.unsupportedTokenType, 400),
        (OAuthErrorCode(rawValue: "server_error"), 400),
    ])
    func mapsEachCodeToItsHTTPStatus(_ code: OAuthErrorCode, _ status: Int) {
        #expect(code.httpStatus == status)
    }

    @Test func usesTheRFCSpellings() {
        #expect(
            [OAuthErrorCode.invalidRequest, .invalidClient, .invalidGrant, .unauthorizedClient, .invalidScope, .unsupportedGrantType]
                .map(\.rawValue)
                == ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "invalid_scope", "unsupported_grant_type"]
        )
    }

    @Test func preservesUnknownCodesThroughJSON() throws {
        let json = Data(#"{"error":"temporarily_unavailable","request_id":"r"}"#.utf8)
        let decoded = try JSONDecoder().decode(OAuthErrorResponse.self, from: json)
        #expect(decoded.error.rawValue == "temporarily_unavailable")
        #expect(decoded.description == "temporarily_unavailable (request_id r)")
    }
}
