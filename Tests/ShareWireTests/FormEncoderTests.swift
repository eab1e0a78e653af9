import ShareModels
import ShareWire
import Testing

@Suite("FormEncoder")
struct FormEncoderTests {
    struct Pair: Codable {
        var b: String
        var a: String
    }

    struct Scalars: Codable {
        var count: Int
        var ratio: Double
        var enabled: Bool
        var small: Int8
        var missing: String?
    }

    struct Outer: Codable {
        struct Inner: Codable {
            var leaf: String
            var deeper: [String: Int]?
        }

        var inner: Inner
        var tags: [String]
        var items: [Inner]
    }

    @Test func writesFieldsInTheOrderTheValueEncodesThem() throws {
        #expect(try FormEncoder().encode(Pair(b: "2", a: "1")) == "b=2&a=1")
    }

    @Test func writesTheTokenExchangeRequestInPropertyOrderLeavingOutNilFields() throws {
        let request = OAuthTokenRequest.creditMultiUser(
            user: try UserID("usr_9nSp2KuZ2x4JDw"),
            audience: Audience(
                Audience.Member(rawValue: "urn:plaid:params:cra-partner:experian"),
                Audience.Member(rawValue: "urn:plaid:params:cra-partner:fannie-mae")
            )
        )
        #expect(
            try FormEncoder().encode(request)
                == "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&scope=user%3Aread"
                + "&audience=urn%3Aplaid%3Aparams%3Acra-partner%3Aexperian%2Curn%3Aplaid%3Aparams%3Acra-partner%3Afannie-mae"
                + "&subject_token=usr_9nSp2KuZ2x4JDw&subject_token_type=urn%3Aplaid%3Aparams%3Acredit%3Amulti-user"
        )
    }

    @Test func usesTheWHATWGByteSetWithPlusForSpace() throws {
        let every = String(decoding: (0x20...0x7E).map { UInt8($0) }, as: UTF8.self)
        let encoded = try FormEncoder().encode(["v": every])
        #expect(
            encoded
                == "v=+%21%22%23%24%25%26%27%28%29*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                + "%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D%7E"
        )
    }

    @Test func percentEncodesNonASCIIAsUTF8Bytes() throws {
        #expect(try FormEncoder().encode(["name": "é🙂"]) == "name=%C3%A9%F0%9F%99%82")
    }

    @Test func writesNumbersAndBooleansAsText() throws {
        let value = Scalars(count: -42, ratio: 0.1, enabled: true, small: -128, missing: nil)
        #expect(try FormEncoder().encode(value) == "count=-42&ratio=0.1&enabled=true&small=-128")
    }

    @Test func nestsWithBracketsRepeatsListNamesAndIndexesListsOfObjects() throws {
        let value = Outer(
            inner: .init(leaf: "x", deeper: ["k": 1]),
            tags: ["a", "b"],
            items: [.init(leaf: "p"), .init(leaf: "q")]
        )
        #expect(
            try FormEncoder().encode(value)
                == "inner%5Bleaf%5D=x&inner%5Bdeeper%5D%5Bk%5D=1&tags=a&tags=b"
                + "&items%5B0%5D%5Bleaf%5D=p&items%5B1%5D%5Bleaf%5D=q"
        )
    }

    @Test func writesNilListElementsAsEmptyValuesToKeepPositions() throws {
        let encoded = try FormEncoder().encode(["v": ["a", nil, "c"]])
        #expect(encoded == "v=a&v=&v=c")
        #expect(try FormDecoder().decode([String: [String?]].self, from: encoded) == ["v": ["a", nil, "c"]])
    }

    @Test func rejectsATopLevelSingleValue() {
        #expect(throws: WireError(reason: "a form body must be a set of named fields, not a single value")) {
            try FormEncoder().encode("just text")
        }
    }

    @Test func rejectsATopLevelList() {
        #expect(throws: WireError(reason: "a form body must be a set of named fields, not an array")) {
            try FormEncoder().encode(["a", "b"])
        }
    }

    @Test func rejectsListsOfLists() {
        #expect(throws: WireError(codingPath: ["grid", "0"], reason: "arrays of arrays cannot be expressed in a form")) {
            try FormEncoder().encode(["grid": [["a"]]])
        }
    }

    @Test func rejectsFieldNamesWithBrackets() {
        #expect(throws: WireError(codingPath: ["a[b]"], reason: "a field name cannot contain \"[\" or \"]\"")) {
            try FormEncoder().encode(["a[b]": "x"])
        }
    }

    @Test func rejectsEmptyNestedFieldNames() {
        #expect(throws: WireError(codingPath: ["table", ""], reason: "a nested field name cannot be empty (\"[]\" means a list)")) {
            try FormEncoder().encode(["table": ["": 1]])
        }
    }

    @Test func encodesAnEmptyObjectAsAnEmptyBody() throws {
        #expect(try FormEncoder().encode(OAuthRevokeResponse(requestID: "")) == "request_id=")
        #expect(try FormEncoder().encode([String: String]()) == "")
    }
}
