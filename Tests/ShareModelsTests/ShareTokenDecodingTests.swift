import Foundation
import ShareModels
import Testing

/// A share token as the real service answers it decodes, in every shape Persona documents.
@Suite("ShareToken decoding")
struct ShareTokenDecodingTests {
    /// The example of Persona's 2025-12-08 guide: no `direction`, `expires-at` null, the
    /// connection named `connect-connection`
    /// (<https://docs.withpersona.com/2025-12-08/creating-share-tokens>).
    @Test func decodesTheDefaultVersionExample() throws {
        let json = #"""
            {"type":"connect/share-token","id":"cnst_ABC123",
             "attributes":{"status":"created","created-at":"2025-10-14T22:36:51.907Z","updated-at":"2025-10-14T22:36:51.907Z",
                           "pending-at":null,"redeemed-at":null,"expires-at":null},
             "relationships":{"connect-connection":{"data":{"type":"connect/connection","id":"cxn_ABC123"}},
                              "creator":{"data":{"type":"api-key","id":"api_ABC123"}},
                              "source":{"data":{"type":"inquiry","id":"inq_ABC123"}}}}
            """#
        let token = try JSONDecoder().decode(ShareToken.self, from: Data(json.utf8))
        #expect(token.id.rawValue == "cnst_ABC123")
        #expect(token.status == .created)
        #expect(token.direction == nil)
        #expect(token.expiresAt == nil)
        #expect(token.connectionID.rawValue == "cxn_ABC123")
        #expect(token.sourceID.rawValue == "inq_ABC123")
        #expect(token.creator?.id == "api_ABC123")
    }

    /// The older versions' example: `direction` and `expires-at` given, the relationship named
    /// `connection` (<https://docs.withpersona.com/2020-05-18/creating-share-tokens>).
    @Test func decodesTheOlderVersionExampleAndRoundTrips() throws {
        let json = #"""
            {"type":"connect/share-token","id":"cnst_ABC123",
             "attributes":{"status":"created","direction":"outbound","created-at":"2023-08-17T23:18:13.000Z",
                           "updated-at":"2023-08-17T23:18:13.000Z","expires-at":"2023-08-31T23:18:13.000Z"},
             "relationships":{"connection":{"data":{"type":"connect/connection","id":"cxn_ABC123"}},
                              "source":{"data":{"type":"inquiry","id":"inq_ABC123"}}}}
            """#
        let token = try JSONDecoder().decode(ShareToken.self, from: Data(json.utf8))
        #expect(token.direction == .outbound)
        let expiresAt = try #require(token.expiresAt)
        #expect(Int(expiresAt.date.timeIntervalSince(token.createdAt.date)) == 14 * 24 * 60 * 60)
        let again = try JSONDecoder().decode(ShareToken.self, from: JSONEncoder().encode(token))
        #expect(again == token)
    }

    @Test func refusesATokenWithoutAConnection() {
        let json = #"""
            {"type":"connect/share-token","id":"cnst_ABC123",
             "attributes":{"status":"created","created-at":"2023-08-17T23:18:13.000Z"},
             "relationships":{"source":{"data":{"type":"inquiry","id":"inq_ABC123"}}}}
            """#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ShareToken.self, from: Data(json.utf8)) }
    }
}
