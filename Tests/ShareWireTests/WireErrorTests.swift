import ShareWire
import Testing

@Suite("WireError")
struct WireErrorTests {
    @Test func describesTheFieldThenTheReason() {
        let error = WireError(codingPath: ["data", "attributes", "expires-in-seconds"], reason: "expected an integer, found a string")
        #expect(error.description == "data.attributes.expires-in-seconds: expected an integer, found a string")
        #expect(error.field == "data.attributes.expires-in-seconds")
    }

    @Test func writesArrayPositionsInBrackets() {
        #expect(WireError(codingPath: ["items", "2", "name"], reason: "r").description == "items[2].name: r")
        #expect(WireError(codingPath: ["0"], reason: "r").description == "[0]: r")
    }

    @Test func describesAProblemWithTheWholeBodyByItsReasonAlone() {
        #expect(WireError(reason: "not valid JSON").description == "not valid JSON")
    }
}
