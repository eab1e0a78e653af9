import ShareModels
import Testing

@Suite("ShareTokenTTL")
struct ShareTokenTTLTests {
    @Test(arguments: [60, 61, 3_600, 1_209_600, 1_814_399, 1_814_400])
    func acceptsOneMinuteToTwentyOneDays(_ seconds: Int) throws {
        #expect(try ShareTokenTTL(seconds: seconds).seconds == seconds)
    }

    @Test(arguments: [Int.min, -60, 0, 59, 1_814_401, Int.max])
    func rejectsLifetimesOutsideTheRange(_ seconds: Int) {
        let error = #expect(throws: ShareTokenTTL.OutOfRange.self) { try ShareTokenTTL(seconds: seconds) }
        #expect(error?.seconds == seconds)
    }

    @Test func defaultsToFourteenDays() {
        #expect(ShareTokenTTL.default.seconds == 1_209_600)
        #expect(ShareTokenTTL.defaultSeconds == 14 * 24 * 60 * 60)
        #expect(ShareTokenTTL.minimumSeconds == 60)
        #expect(ShareTokenTTL.maximumSeconds == 1_814_400)
    }

    @Test func theOutOfRangeErrorNamesTheFieldAndTheRange() {
        let error = #expect(throws: ShareTokenTTL.OutOfRange.self) { try ShareTokenTTL(seconds: 59) }
        #expect(error?.description.hasPrefix("expires-in-seconds must be an integer from 60 to 1814400") == true)
    }

    @Test func createAttributesUseTheDefaultWhenNoLifetimeIsGiven() throws {
        let attributes = ShareTokenCreateAttributes(connectionID: try ConnectionID("conn_1"), sourceID: try SourceID("inq_1"))
        #expect(try attributes.ttl() == .default)
        var tooLong = attributes
        tooLong.expiresInSeconds = 1_814_401
        #expect(throws: ShareTokenTTL.OutOfRange.self) { try tooLong.ttl() }
    }

    @Test func ordersByLength() throws {
        #expect(try ShareTokenTTL(seconds: 60) < (try ShareTokenTTL(seconds: 61)))
    }
}
