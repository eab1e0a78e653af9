import Foundation
import Logging
import ShareClient
import ShareCredentials
import ShareModels
import ShareSandbox
import ShareTransportAHC
import Testing

@Suite("OAuthClient.createUser against the sandbox: the identity goes out typed, PlaidError comes back typed")
struct UserCreateClientTests {
    static func withClient(_ body: @Sendable (OAuthClient) async throws -> Void) async throws {
        var configuration = SandboxConfiguration(port: 0)
        configuration.logger = Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = try #require(URL(string: sandbox.url))
                try await body(
                    OAuthClient(
                        environment: .custom(url),
                        credentials: ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret),
                        transport: transport))
            }
        }
    }

    static let identity = ClientUserIdentity(
        name: .init(givenName: "Ada", familyName: "Lovelace"), dateOfBirth: "1985-12-10",
        emails: [.init(data: "ada@example.com", primary: true)], phoneNumbers: [.init(data: "+14155550123", primary: true)],
        addresses: [.init(street1: "1 Main St", city: "SF", region: "CA", country: "US", postalCode: "94105", primary: true)],
        idNumbers: [.init(value: "1234", type: "us_ssn_last_4")])

    @Test("a user with an identity gets a user_id and no user_token; a legacy identity gets a user_token")
    func createsWithIdentity() async throws {
        try await Self.withClient { client in
            let user = try await client.createUser(UserCreateRequest(clientUserID: "ada", identity: Self.identity))
            #expect(user.userID.rawValue.hasPrefix("usr_"))
            #expect(user.userToken == nil)
            let legacy = try await client.createUser(
                UserCreateRequest(
                    clientUserID: "ada-legacy",
                    consumerReportUserIdentity: ConsumerReportUserIdentity(
                        firstName: "Ada", lastName: "Lovelace", phoneNumbers: ["+14155550123"], emails: ["ada@example.com"],
                        dateOfBirth: "1985-12-10",
                        primaryAddress: .init(street: "1 Main St", city: "SF", region: "CA", postalCode: "94105", country: "US"))))
            #expect(legacy.userToken?.hasPrefix("user-sandbox-") == true)
            #expect(!legacy.description.contains(legacy.userToken ?? "-"))
        }
    }

    @Test("a refused identity is an APIError with Plaid's type, code, message, null display_message and request_id")
    func refusalIsTyped() async throws {
        try await Self.withClient { client in
            var identity = Self.identity
            identity.idNumbers = [.init(value: "1", type: "xx_passport")]
            await #expect {
                try await client.createUser(UserCreateRequest(clientUserID: "ada", identity: identity))
            } throws: { error in
                guard let refusal = detail(error, APIError.self) else { return false }
                return refusal.errorType == "INVALID_REQUEST" && refusal.errorCode == "INVALID_FIELD"
                    && refusal.errorMessage.contains("identity.id_numbers[0].type") && refusal.displayMessage == nil
                    && refusal.requestID != nil && refusal.status == 400 && !"\(error)".contains("Lovelace")
            }
        }
    }

    @Test("the identity's description never shows a value")
    func identityIsRedacted() {
        let text = "\(Self.identity) \(String(reflecting: Self.identity)) \(UserCreateRequest(clientUserID: "u", identity: Self.identity))"
        for value in ["Ada", "Lovelace", "1985", "ada@example.com", "4155550123", "Main", "94105", "1234"] {
            #expect(!text.contains(value), "\(value)")
        }
    }
}
