import ArgumentParser
import Foundation
import ShareModels
import ShareWire

/// `user create`: a user whose consumer report can be shared.
struct UserCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (the subjects of consumer-report shares).",
        subcommands: [Create.self]
    )

    static let examples = [
        "user create --client-user-id applicant-4711 --given-name Ada --family-name Lovelace",
    ]

    struct Create: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (POST /user/create) and print its user_id.",
            discussion: """
                The identity flags fill Plaid's `identity` (New User API); the first --email and --phone are primary.
                Example:
                  user create --client-user-id applicant-4711 --given-name Ada --family-name Lovelace \\
                    --date-of-birth 1985-12-10 --email ada@example.com --phone +14155550123 \\
                    --street "1 Main St" --city SF --region CA --postal-code 94105 --country US
                """
        )

        @Option(name: .long, help: "Your own id for the user, 1–128 characters. A random one when omitted.")
        var clientUserID: String?

        @Option(name: .long, help: "User's given name (identity.name.given_name).")
        var givenName: String?
        @Option(name: .long, help: "User's family name (identity.name.family_name).")
        var familyName: String?
        @Option(name: .long, help: "The user's date of birth, yyyy-mm-dd.")
        var dateOfBirth: String?
        @Option(name: .long, help: "User's email (repeatable; the first is primary).")
        var email: [String] = []
        @Option(name: .long, help: "User's phone number in E.164, e.g. +14157452130 (repeatable; the first is primary).")
        var phone: [String] = []
        @Option(name: .long, help: "First line of street address.")
        var street: String?
        @Option(name: .long, help: "City name.")
        var city: String?
        @Option(name: .long, help: "State, province or region.")
        var region: String?
        @Option(name: .long, help: "Postal or ZIP code.")
        var postalCode: String?
        @Option(name: .long, help: "Country code (required with any address flag).")
        var country: String?
        @Option(name: .customLong("ssn-last-4"), help: "The last 4 digits of the user's SSN (id_numbers, type us_ssn_last_4).")
        var ssnLast4: String?

        /// The identity the flags describe, or `nil` when none was given.
        var identity: ClientUserIdentity? {
            var identity = ClientUserIdentity()
            if givenName != nil || familyName != nil {
                identity.name = ClientUserIdentity.Name(givenName: givenName ?? "", familyName: familyName ?? "")
            }
            identity.dateOfBirth = dateOfBirth
            if !email.isEmpty { identity.emails = email.enumerated().map { .init(data: $1, primary: $0 == 0) } }
            if !phone.isEmpty { identity.phoneNumbers = phone.enumerated().map { .init(data: $1, primary: $0 == 0) } }
            if let country {
                identity.addresses = [
                    .init(street1: street, city: city, region: region, country: country, postalCode: postalCode, primary: true)
                ]
            }
            if let ssnLast4 { identity.idNumbers = [.init(value: ssnLast4, type: "us_ssn_last_4")] }
            return identity == ClientUserIdentity() ? nil : identity
        }

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let clientUserID, let problem = UserCreateRequest(clientUserID: clientUserID).validationProblem {
                throw ValidationError(problem)
            }
            if (givenName == nil) != (familyName == nil) { throw ValidationError("--given-name and --family-name go together") }
            if country == nil, street != nil || city != nil || region != nil || postalCode != nil {
                throw ValidationError("an address needs --country")
            }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let id = clientUserID ?? "shell-" + UUID().uuidString.prefix(8).lowercased()
            let response = try await context.oauth.createUser(UserCreateRequest(clientUserID: id, identity: identity))
            return .result(try JSONValue(encoding: response))
        }
    }
}
