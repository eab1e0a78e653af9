import ShareModels
import ShareWire
import Testing

@Suite("FormDecoder")
struct FormDecoderTests {
    struct Fields: Codable, Equatable {
        var a: String
        var b: String?
    }

    struct Numbers: Codable, Equatable {
        var count: Int
        var ratio: Double
        var enabled: Bool
        var level: UInt8?
    }

    struct Lists: Codable, Equatable {
        var tags: [String]
        var counts: [Int]?
    }

    struct Deep: Codable, Equatable {
        struct Attributes: Codable, Equatable {
            var sourceID: String
            var expiresInSeconds: Int?
            enum CodingKeys: String, CodingKey {
                case sourceID = "source-id"
                case expiresInSeconds = "expires-in-seconds"
            }
        }
        struct Data: Codable, Equatable { var attributes: Attributes }
        var data: Data
    }

    struct Items: Codable, Equatable {
        struct Item: Codable, Equatable { var name: String }
        var items: [Item]
    }

    let decoder = FormDecoder()

    @Test func decodesPlusAndPercent20AsSpace() throws {
        #expect(try decoder.decode(Fields.self, from: "a=one+two%20three") == Fields(a: "one two three"))
    }

    @Test func decodesAPercentEncodedPlusAsAPlus() throws {
        #expect(try decoder.decode(Fields.self, from: "a=s3cr%2Bt") == Fields(a: "s3cr+t"))
    }

    @Test func splitsNameAndValueAtTheFirstEquals() throws {
        #expect(try decoder.decode(Fields.self, from: "a=x=y==") == Fields(a: "x=y=="))
    }

    @Test func treatsAFieldWithoutEqualsAsAnEmptyValue() throws {
        #expect(try decoder.decode(Fields.self, from: "a&b=2") == Fields(a: "", b: "2"))
    }

    @Test func skipsEmptyFieldsBetweenAmpersands() throws {
        #expect(try decoder.decode(Fields.self, from: "&&a=1&&b=2&") == Fields(a: "1", b: "2"))
    }

    @Test func ignoresFieldsTheTypeDoesNotKnow() throws {
        #expect(try decoder.decode(Fields.self, from: "zzz=1&a=1&extra[nested]=2&more=3&more=4") == Fields(a: "1"))
    }

    @Test func treatsAnEmptyValueAsAbsentForOptionals() throws {
        #expect(try decoder.decode(Fields.self, from: "a=&b=") == Fields(a: "", b: nil))
    }

    @Test func decodesPercentEncodedNamesAndUTF8() throws {
        #expect(try decoder.decode(Fields.self, from: "%61=%C3%A9%F0%9F%99%82") == Fields(a: "é🙂"))
        #expect(try decoder.decode(Fields.self, from: "a=\u{E9}") == Fields(a: "é"))
    }

    @Test func parsesIntegersDoublesAndBooleansFromText() throws {
        #expect(
            try decoder.decode(Numbers.self, from: "count=-17&ratio=2.5e3&enabled=false&level=255")
                == Numbers(count: -17, ratio: 2500, enabled: false, level: 255)
        )
    }

    @Test func decodesRepeatedNamesAndEmptyBracketsAsLists() throws {
        #expect(try decoder.decode(Lists.self, from: "tags=a&tags=b&counts[]=1&counts[]=2") == Lists(tags: ["a", "b"], counts: [1, 2]))
        #expect(try decoder.decode(Lists.self, from: "tags=only") == Lists(tags: ["only"]))
        #expect(try decoder.decode(Lists.self, from: "") == Lists(tags: []))
    }

    @Test func decodesBracketNestingWithRawOrEncodedBrackets() throws {
        let expected = Deep(data: .init(attributes: .init(sourceID: "inq_1", expiresInSeconds: 60)))
        #expect(
            try decoder.decode(Deep.self, from: "data[attributes][source-id]=inq_1&data[attributes][expires-in-seconds]=60")
                == expected
        )
        #expect(
            try decoder.decode(Deep.self, from: "data%5Battributes%5D%5Bsource-id%5D=inq_1&data%5Battributes%5D%5Bexpires-in-seconds%5D=60")
                == expected
        )
    }

    @Test func ordersIndexedListsOfObjectsByPosition() throws {
        #expect(
            try decoder.decode(Items.self, from: "items[1][name]=second&items[0][name]=first")
                == Items(items: [.init(name: "first"), .init(name: "second")])
        )
    }

    @Test func decodesFromBytesLikeFromAString() throws {
        let body: [UInt8] = Array("a=1&b=2".utf8)
        #expect(try decoder.decode(Fields.self, from: body) == Fields(a: "1", b: "2"))
        #expect(try decoder.decode(Fields.self, from: body[...]) == Fields(a: "1", b: "2"))
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let shallow = FormDecoder(maximumDepth: 2)
        #expect(throws: Never.self) { try shallow.decode([String: [String: [String: String]]].self, from: "a[b][c]=1") }
        #expect(throws: WireError(codingPath: ["a"], reason: "a field name nests more than 2 levels deep")) {
            try shallow.decode([String: [String: [String: [String: String]]]].self, from: "a[b][c][d]=1")
        }
    }

    @Test func decodesTheOAuthRequestsFromWhatGenericOAuthClientsSend() throws {
        // authlib, client_secret_post, token exchange.
        let body =
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=usr_9nSp2KuZ2x4JDw"
            + "&subject_token_type=urn%3Aplaid%3Aparams%3Acredit%3Amulti-user"
            + "&audience=urn%3Aplaid%3Aparams%3Acra-partner%3Aexperian%2Curn%3Aplaid%3Aparams%3Acra-partner%3Afannie-mae"
            + "&scope=user%3Aread&client_id=client-1&client_secret=s%2Bcret"
        let request = try decoder.decode(OAuthTokenRequest.self, from: body)
        #expect(request.grantType == .tokenExchange)
        #expect(request.subjectTokenType == .creditMultiUser)
        #expect(request.audience?.members.count == 2)
        #expect(request.scope == .read)
        #expect(request.clientSecret == "s+cret")
        #expect(request.anySecret == "s+cret")
    }
}
