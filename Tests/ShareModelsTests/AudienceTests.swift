import Foundation
import ShareModels
import Testing

@Suite("Audience")
struct AudienceTests {
    @Test func parsesCommaJoinedMembersTrimmingWhitespace() throws {
        let audience = try #require(Audience(parsing: "urn:plaid:params:cra-partner:experian, urn:plaid:params:cra-partner:fannie-mae"))
        #expect(audience.members.map(\.rawValue) == ["urn:plaid:params:cra-partner:experian", "urn:plaid:params:cra-partner:fannie-mae"])
        #expect(audience.wireValue == "urn:plaid:params:cra-partner:experian,urn:plaid:params:cra-partner:fannie-mae")
        #expect(audience.isMultiParty)
        #expect(audience.members.allSatisfy { $0.isPartnerURN })
    }

    @Test func aSingleClientIDIsNotMultiParty() throws {
        let audience = try #require(Audience(parsing: "68028ce48d2b0dec68747f6c"))
        #expect(!audience.isMultiParty)
        #expect(!audience.members[0].isPartnerURN)
    }

    @Test func dropsEmptyMembersAndDuplicates() throws {
        let audience = try #require(Audience(parsing: "a,,b, ,a,"))
        #expect(audience.wireValue == "a,b")
    }

    @Test(arguments: ["", ",", " , ,", "   "])
    func rejectsAnEmptyAudience(_ wire: String) {
        #expect(Audience(parsing: wire) == nil)
        #expect(Audience([Audience.Member]()) == nil)
    }

    @Test func decodingAnEmptyAudienceFails() {
        struct Body: Decodable { var audience: Audience }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Body.self, from: Data(#"{"audience":" , "}"#.utf8)) }
    }
}
