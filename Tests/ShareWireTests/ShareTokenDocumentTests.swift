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
            id: try ShareTokenID("cnst_8Yq2"), status: .redeemed, direction: .outbound, connectionID: try ConnectionID("conn_1"),
            sourceID: try SourceID("inq_ABC123"), destinationID: try SourceID("inq_XYZ789"),
            createdAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_000)),
            expiresAt: Timestamp(Date(timeIntervalSince1970: 1_796_209_600)),
            redeemedAt: Timestamp(Date(timeIntervalSince1970: 1_795_000_060.5))
        )
    }

    @Test func writesAShareTokenWithKebabCaseAttributesAndISOTimes() throws {
        let json = String(decoding: try WireJSON.encode(JSONAPIDocument(data: Self.token())), as: UTF8.self)
        #expect(
            json
                == #"{"data":{"attributes":{"connection-id":"conn_1","created-at":"2026-11-18T11:06:40.000Z","destination-id":"inq_XYZ789","direction":"outbound","expires-at":"2026-12-02T11:06:40.000Z","redeemed-at":"2026-11-18T11:07:40.500Z","source-id":"inq_ABC123","status":"redeemed"},"id":"cnst_8Yq2","type":"connect/share-token"}}"#
        )
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

    @Test func leavesOutAbsentOptionalAttributes() throws {
        var token = try Self.token()
        token.destinationID = nil
        token.redeemedAt = nil
        let json = String(decoding: try WireJSON.encode(token), as: UTF8.self)
        #expect(!json.contains("destination-id"))
        #expect(!json.contains("redeemed-at"))
        #expect(!json.contains("null"))
    }

    @Test func anExpiryOfTheWrongTypeIsReportedAtItsPathInTheDocument() {
        let body = #"{"data":{"type":"connect/share-token","attributes":{"connection-id":"conn_1","source-id":"inq_1","expires-in-seconds":"60"}}}"#
        let error = #expect(throws: WireError.self) {
            try WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: Array(body.utf8))
        }
        #expect(error?.codingPath == ["data", "attributes", "expires-in-seconds"])
        #expect(error?.description == "data.attributes.expires-in-seconds: expected an integer, found a string")
    }

    @Test func aFractionalExpiryIsReportedAtItsPath() {
        let body = #"{"data":{"attributes":{"connection-id":"conn_1","source-id":"inq_1","expires-in-seconds":60.5}}}"#
        let error = #expect(throws: WireError.self) {
            try WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: Array(body.utf8))
        }
        #expect(error?.codingPath == ["data", "attributes", "expires-in-seconds"])
    }

    @Test func anInvalidSourceIDIsReportedWithoutItsValue() {
        let body = #"{"data":{"attributes":{"connection-id":"conn_1","source-id":"usr_private"}}}"#
        let error = #expect(throws: WireError.self) {
            try WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: Array(body.utf8))
        }
        #expect(error?.codingPath == ["data", "attributes", "source-id"])
        #expect(error?.reason == "invalid source id: expected a value starting with \"inq_\" or \"txn_\" or \"act_\"")
        #expect(error?.description.contains("usr_private") == false)
    }

    @Test func aCreateRequestAlsoDecodesFromANestedForm() throws {
        let form = "data[type]=connect%2Fshare-token&data[attributes][connection-id]=conn_1"
            + "&data[attributes][source-id]=inq_1&data[attributes][expires-in-seconds]=3600"
        let decoded = try FormDecoder().decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: form)
        #expect(decoded.data.attributes.expiresInSeconds == 3600)
        #expect(try decoded.data.attributes.ttl().seconds == 3600)
        #expect(try FormDecoder().decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: FormEncoder().encode(decoded)) == decoded)
    }

    @Test func aFormExpiryThatIsNotANumberNamesTheField() {
        let form = "data[attributes][connection-id]=conn_1&data[attributes][source-id]=inq_1&data[attributes][expires-in-seconds]=soon"
        #expect(throws: WireError(codingPath: ["data", "attributes", "expires-in-seconds"], reason: "expected an integer, found non-numeric text")) {
            try FormDecoder().decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: form)
        }
    }
}
