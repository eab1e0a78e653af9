import Foundation
import ShareModels
import ShareWire
import Testing

/// The JSON:API documents of share tokens: kebab-case attributes, ISO 8601 times, errors that
/// point into the document.
@Suite("Share-token documents")
struct ShareTokenDocumentTests {
    static func token() throws -> ShareToken {
        ShareToken(
            id: try ShareTokenID("cnst_8Yq2"), status: .redeemed, direction: .outbound, connectionID: try ConnectionID("cxn_1"),
            sourceID: try SourceID("inq_ABC123"), destinationID: try SourceID("inq_XYZ789"),
            creator: JSONAPIResourceIdentifier(type: "api-key", id: "api_1"),
            createdAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_000)),
            updatedAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_060.5)),
            expiresAt: Timestamp(Date(timeIntervalSince1970: 1_796_209_600)),
            pendingAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_060)),
            redeemedAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_060.5))
        )
    }

    /// Persona's shape (https://docs.withpersona.com/api-reference/connect/share-tokens/retrieve-a-share-token):
    /// relationships for the connection, creator, source and destination; instants not reached are null.
    @Test func writesAShareTokenWithKebabCaseAttributesRelationshipsAndISOTimes() throws {
        let json = String(decoding: try WireJSON.encode(JSONAPIDocument(data: Self.token())), as: UTF8.self)
        #expect(
            json
                == #"{"data":{"attributes":{"created-at":"2026-11-18T11:06:40.000Z","direction":"outbound","expires-at":"2026-12-02T11:06:40.000Z","failed-at":null,"failure-reason":null,"pending-at":"2026-11-18T11:07:40.000Z","redeemed-at":"2026-11-18T11:07:40.500Z","status":"redeemed","updated-at":"2026-11-18T11:07:40.500Z"},"id":"cnst_8Yq2","relationships":{"connection":{"data":{"id":"cxn_1","type":"connect/connection"}},"creator":{"data":{"id":"api_1","type":"api-key"}},"destination":{"data":{"id":"inq_XYZ789","type":"inquiry"}},"source":{"data":{"id":"inq_ABC123","type":"inquiry"}}},"type":"connect/share-token"}}"#
        )
    }

    @Test func readsPersonasExampleOfACreatedShareToken() throws {
        // The example of https://docs.withpersona.com/2025-12-08/creating-share-tokens (without direction,
        // which the sandbox always sends, added here).
        let body = #"{"data":{"type":"connect/share-token","id":"cnst_ABC123","attributes":{"status":"created","direction":"outbound","created-at":"2025-10-14T22:36:51.907Z","updated-at":"2025-10-14T22:36:51.907Z","pending-at":null,"redeemed-at":null,"expires-at":"2025-10-28T22:36:51.907Z"},"relationships":{"connection":{"data":{"type":"connect/connection","id":"cxn_ABC123"}},"creator":{"data":{"type":"api-key","id":"api_ABC123"}},"source":{"data":{"type":"inquiry","id":"inq_ABC123"}}}}}"#
        let token = try WireJSON.decode(JSONAPIDocument<ShareToken>.self, from: Array(body.utf8)).data
        #expect(token.connectionID.rawValue == "cxn_ABC123")
        #expect(token.sourceID.rawValue == "inq_ABC123")
        #expect(token.destinationID == nil)
        #expect(token.creator == JSONAPIResourceIdentifier(type: "api-key", id: "api_ABC123"))
        #expect(token.pendingAt == nil)
    }

    @Test func shareTokensAndEventsRoundTripThroughJSON() throws {
        let document = JSONAPIDocument(data: try Self.token())
        #expect(try WireJSON.decode(JSONAPIDocument<ShareToken>.self, from: WireJSON.encode(document)) == document)
        let event = ShareTokenEvent(
            id: try EventID("evt_1"), name: .outboundRedeemed, createdAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_061)),
            shareToken: try Self.token()
        )
        #expect(try WireJSON.decode(ShareTokenEvent.self, from: WireJSON.encode(event)) == event)
    }

    @Test func writesInstantsNotReachedAsNullAndNoDestinationBeforeRedemption() throws {
        var token = try Self.token()
        token.status = .created
        token.destinationID = nil
        token.redeemedAt = nil
        token.pendingAt = nil
        let json = String(decoding: try WireJSON.encode(token), as: UTF8.self)
        #expect(!json.contains("destination"))
        #expect(json.contains(#""redeemed-at":null"#))
        #expect(json.contains(#""pending-at":null"#))
        #expect(!json.contains("connection-id"))
    }

    @Test func anExpiryOfTheWrongTypeIsReportedAtItsPathInTheDocument() {
        let body = #"{"data":{"type":"connect/share-token","attributes":{"connection-id":"cxn_1","source-id":"inq_1","expires-in-seconds":"60"}}}"#
        let error = #expect(throws: WireError.self) {
            try WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: Array(body.utf8))
        }
        #expect(error?.codingPath == ["data", "attributes", "expires-in-seconds"])
        #expect(error?.description == "data.attributes.expires-in-seconds: expected an integer, found a string")
    }

    @Test func aFractionalExpiryIsReportedAtItsPath() {
        let body = #"{"data":{"attributes":{"connection-id":"cxn_1","source-id":"inq_1","expires-in-seconds":60.5}}}"#
        let error = #expect(throws: WireError.self) {
            try WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: Array(body.utf8))
        }
        #expect(error?.codingPath == ["data", "attributes", "expires-in-seconds"])
    }

    @Test func anInvalidSourceIDIsReportedWithoutItsValue() {
        let body = #"{"data":{"attributes":{"connection-id":"cxn_1","source-id":"usr_private"}}}"#
        let error = #expect(throws: WireError.self) {
            try WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: Array(body.utf8))
        }
        #expect(error?.codingPath == ["data", "attributes", "source-id"])
        #expect(error?.reason == "invalid source id: expected a value starting with \"inq_\" or \"txn_\" or \"act_\" or \"ver_\"")
        #expect(error?.description.contains("usr_private") == false)
    }

    @Test func aCreateRequestAlsoDecodesFromANestedForm() throws {
        let form = "data[type]=connect%2Fshare-token&data[attributes][connection-id]=cxn_1"
            + "&data[attributes][source-id]=inq_1&data[attributes][expires-in-seconds]=3600"
        let decoded = try FormDecoder().decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: form)
        #expect(decoded.data.attributes.expiresInSeconds == 3600)
        #expect(try decoded.data.attributes.ttl().seconds == 3600)
        #expect(try FormDecoder().decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: FormEncoder().encode(decoded)) == decoded)
    }

    @Test func aFormExpiryThatIsNotANumberNamesTheField() {
        let form = "data[attributes][connection-id]=cxn_1&data[attributes][source-id]=inq_1&data[attributes][expires-in-seconds]=soon"
        #expect(throws: WireError(codingPath: ["data", "attributes", "expires-in-seconds"], reason: "expected an integer, found non-numeric text")) {
            try FormDecoder().decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: form)
        }
    }
}
