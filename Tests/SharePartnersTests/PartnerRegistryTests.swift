import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareModels
import SharePartners
import Testing

@Suite("PartnerRegistry")
struct PartnerRegistryTests {
    let registry = try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()])

    @Test("resolves ids, aliases and URNs, case-insensitively for names", arguments: [
        ("experian", PartnerID.experian),
        ("Fannie-Mae", .fannieMae),
        ("fnma", .fannieMae),
        ("freddiemac", .freddieMac),
        (" urn:plaid:params:cra-partner:freddie-mac ", .freddieMac),
        ("urn:plaid:params:cra-partner:experian", .experian),
    ])
    func resolution(name: String, expected: PartnerID) throws {
        #expect(try registry.resolve(name).id == expected)
    }

    @Test("an unknown partner is an error that lists the known ones")
    func unknown() {
        #expect(throws: PartnerRegistryError.unknown(name: "acme", known: [.experian, .fannieMae, .freddieMac])) {
            try registry.resolve("acme")
        }
        let message = PartnerRegistryError.unknown(name: "acme", known: registry.ids).description
        #expect(message == "unknown partner \"acme\"; known partners: experian, fannie-mae, freddie-mac")
    }

    @Test("lists partners in registration order")
    func listing() {
        #expect(registry.ids == [.experian, .fannieMae, .freddieMac])
        #expect(registry.adapters.map(\.displayName) == ["Experian", "Fannie Mae", "Freddie Mac"])
    }

    @Test("rejects two adapters with the same id, alias or URN")
    func duplicates() {
        #expect(throws: PartnerRegistryError.self) { try PartnerRegistry([Experian(), Experian()]) }
        struct Impostor: PartnerAdapter {
            var id: PartnerID { "impostor" }
            var displayName: String { "Impostor" }
            var audienceURN: Audience.Member { "urn:plaid:params:cra-partner:impostor" }
            var aliases: [String] { ["FNMA"] }
        }
        #expect(throws: PartnerRegistryError.duplicate(name: "FNMA", first: .fannieMae, second: "impostor")) {
            try PartnerRegistry([FannieMae(), Impostor()])
        }
        struct NotAPartnerURN: PartnerAdapter {
            var id: PartnerID { "odd" }
            var displayName: String { "Odd" }
            var audienceURN: Audience.Member { "client-123" }
        }
        #expect(throws: PartnerRegistryError.invalidURN(partner: "odd", urn: "client-123")) { try PartnerRegistry([NotAPartnerURN()]) }
    }

    @Test("builds single and multi-party audiences in the order given")
    func audiences() throws {
        #expect(try registry.audience(for: [.fannieMae]).wireValue == "urn:plaid:params:cra-partner:fannie-mae")
        let multi = try registry.audience(for: [.experian, .fannieMae])
        #expect(multi.wireValue == "urn:plaid:params:cra-partner:experian,urn:plaid:params:cra-partner:fannie-mae")
        #expect(multi.isMultiParty)
        #expect(throws: PartnerRegistryError.emptyAudience) { try registry.audience(for: []) }
    }

    @Test("validates every partner URN of a mixed audience and leaves client ids to the caller")
    func mixedAudience() throws {
        let audience = try #require(Audience(parsing: "urn:plaid:params:cra-partner:experian, client-42"))
        let involved = try registry.validate(PartnerShareRequest(subjectTokenType: .creditMultiUser, scope: .read, audience: audience))
        #expect(involved.map(\.id) == [.experian])
        let unknown = try #require(Audience(parsing: "urn:plaid:params:cra-partner:acme,client-42"))
        #expect(throws: PartnerRegistryError.self) {
            try registry.validate(PartnerShareRequest(subjectTokenType: .creditMultiUser, scope: .read, audience: unknown))
        }
    }

    @Test("partners accept only the credit multi-user exchange and user:read by default")
    func standardRules() throws {
        let audience = Audience(FannieMae().audienceURN)
        #expect(throws: PartnerRegistryError.self) {
            try registry.validate(PartnerShareRequest(subjectTokenType: .user, scope: .read, audience: audience))
        }
        do {
            try registry.validate(PartnerShareRequest(subjectTokenType: .creditMultiUser, scope: .readWrite, audience: audience))
            Issue.record("user:write was accepted")
        } catch let error where error.code == .rejected {
            let violation = try #require(error.violation)
            #expect(violation.isScopeProblem)
            #expect(violation.partner == .fannieMae)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Suite("ClientAudience")
struct ClientAudienceTests {
    @Test("tokens:user must target the caller; oauth:user-token another client")
    func shapes() throws {
        try ClientAudience(clientID: "me").validate(subjectTokenType: .user, callerClientID: "me")
        #expect(throws: PartnerRuleViolation.self) {
            try ClientAudience(clientID: "other").validate(subjectTokenType: .user, callerClientID: "me")
        }
        try ClientAudience(clientID: "other").validate(subjectTokenType: .oauthUserToken, callerClientID: "me")
        #expect(throws: PartnerRuleViolation.self) {
            try ClientAudience(clientID: "me").validate(subjectTokenType: .oauthUserToken, callerClientID: "me")
        }
    }

    @Test("a partner URN is not a client id")
    func partnerURNIsNotAClient() {
        #expect(throws: PartnerRuleViolation.self) {
            try ClientAudience(clientID: "urn:plaid:params:cra-partner:experian").validate(
                subjectTokenType: .creditMultiUser, callerClientID: "me")
        }
    }
}
