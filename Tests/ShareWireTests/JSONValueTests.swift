import ShareWire
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("integers stay integers and every kind round-trips")
    func roundTrip() throws {
        let text = #"{"a":900,"b":1.5,"c":"x","d":[true,null],"e":{"f":-7}}"#
        let value = try WireJSON.decode(JSONValue.self, from: Array(text.utf8))
        #expect(value["a"] == .integer(900))
        #expect(value["b"] == .number(1.5))
        #expect(value["d"] == .array([.bool(true), .null]))
        let again = try WireJSON.decode(JSONValue.self, from: try WireJSON.encode(value))
        #expect(again == value)
        #expect(String(decoding: try WireJSON.encode(JSONValue.integer(900)), as: UTF8.self) == "900")
    }

    @Test("paths reach into objects and arrays, and miss cleanly")
    func paths() throws {
        let value = try WireJSON.decode(JSONValue.self, from: Array(#"{"data":[{"id":"cnst_1"}]}"#.utf8))
        #expect(value.value(at: ["data", "0", "id"])?.stringValue == "cnst_1")
        #expect(value.value(at: ["data", "1", "id"]) == nil)
        #expect(value.value(at: ["data", "x"]) == nil)
        #expect(value.value(at: [String]()) == value)
        #expect(JSONValue.string("s")["key"] == nil)
    }
}
