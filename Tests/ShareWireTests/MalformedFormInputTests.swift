import ShareModels
import ShareTestSupport
import ShareWire
import Testing

/// A table of malformed form bodies and the exact error each one gets.
@Suite("Malformed form inputs")
struct MalformedFormInputTests {
    /// What a case decodes into.
    enum Target: Sendable {
        case tokenRequest, userCreateResponse, numbers, requiredCount, lists, nested
    }

    struct Numbers: Decodable {
        var count: Int?
        var ratio: Double?
        var enabled: Bool?
        var level: UInt8?
    }

    struct RequiredCount: Decodable { var count: Int }

    struct Lists: Decodable { var tags: [String] }

    struct Nested: Decodable {
        struct Data: Decodable { var attributes: [String: String] }
        var data: Data
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var body: [UInt8]
        var target: Target
        var expected: WireError
        var testDescription: String { String(decoding: body, as: UTF8.self) }

        init(_ body: String, _ path: [String], _ reason: String) {
            self.init(bytes: Array(body.utf8), .numbers, path, reason)
        }

        init(_ body: String, _ target: Target, _ path: [String], _ reason: String) {
            self.init(bytes: Array(body.utf8), target, path, reason)
        }

        init(bytes: [UInt8], _ target: Target, _ path: [String], _ reason: String) {
            self.body = bytes
            self.target = target
            self.expected = WireError(codingPath: path, reason: reason)
        }
    }

    static let badEscape = "has an invalid percent-escape (\"%\" must be followed by two hex digits)"

    static let cases: [Case] = [
        // Percent-escapes and UTF-8.
        Case("count=%", ["count"], "the value " + badEscape),
        Case("count=%4", ["count"], "the value " + badEscape),
        Case("count=%G1", ["count"], "the value " + badEscape),
        Case("count=1%2", ["count"], "the value " + badEscape),
        Case("%zz=1", [], "a field name " + badEscape),
        Case("count=%FF", ["count"], "the value is not valid UTF-8"),
        Case("count=%C3", ["count"], "the value is not valid UTF-8"),
        Case("count=%ED%A0%80", ["count"], "the value is not valid UTF-8"),
        Case(bytes: Array("count=".utf8) + [0xFF], .numbers, ["count"], "the value is not valid UTF-8"),
        Case("%FF=1", [], "a field name is not valid UTF-8"),
        Case("a[b]=%FF", ["a", "b"], "the value is not valid UTF-8"),
        // Duplicates and shape conflicts.
        Case("grant_type=a&grant_type=b", .tokenRequest, ["grant_type"], "given 2 times; expected one value"),
        Case("count=1&count=2&count=3", ["count"], "given 3 times; expected one value"),
        Case("a=1&a[b]=2", ["a"], "given both as a value and as nested fields"),
        Case("a[b]=1&a=2", ["a"], "given both as a value and as nested fields"),
        Case("a[b]=1&a[b][c]=2", ["a", "b"], "given both as a value and as nested fields"),
        Case("grant_type[x]=1", .tokenRequest, ["grant_type"], "expected a value, found nested fields"),
        Case("tags[x]=1", .lists, ["tags"], "expected a list, found named fields"),
        Case("data[attributes]=x", .nested, ["data", "attributes"], "expected nested fields, found a value"),
        // Field names.
        Case("[a]=1", [], "a field name cannot start with \"[\""),
        Case("a[b=1", ["a"], "a field name has an unclosed \"[\""),
        Case("a[b]c=1", ["a", "b"], "a field name has text after \"]\""),
        Case("a[][b]=1", ["a"], "\"[]\" may only end a field name"),
        Case("a[b[c]]=1", ["a"], "a field name has \"[\" inside brackets"),
        Case("a[1][2][3][4][5][6][7][8][9]=x", ["a"], "a field name nests more than 8 levels deep"),
        Case("a%5B1%5D%5B2%5D%5B3%5D%5B4%5D%5B5%5D%5B6%5D%5B7%5D%5B8%5D%5B9%5D=x", ["a"], "a field name nests more than 8 levels deep"),
        // Values that do not parse as their type.
        Case("count=abc", ["count"], "expected an integer, found non-numeric text"),
        Case("count=", .requiredCount, ["count"], "expected an integer, found an empty value"),
        Case("count=1.5", ["count"], "expected an integer, found a fractional number"),
        Case("count=99999999999999999999", ["count"], "expected an integer from \(Int.min) to \(Int.max), found one out of range"),
        Case("level=256", ["level"], "expected an integer from 0 to 255, found one out of range"),
        Case("level=-1", ["level"], "expected an integer from 0 to 255, found one out of range"),
        Case("enabled=yes", ["enabled"], "expected true or false, found other text"),
        Case("enabled=TRUE", ["enabled"], "expected true or false, found other text"),
        Case("ratio=abc", ["ratio"], "expected a number, found non-numeric text"),
        // Required fields and type-level validation.
        Case("client_id=x", .tokenRequest, ["grant_type"], "missing required field"),
        Case("grant_type=client_credentials&audience=%2C+%2C", .tokenRequest, ["audience"],
             "audience must name at least one client id or partner URN"),
        Case("user_id=bad&request_id=r", .userCreateResponse, ["user_id"],
             "invalid user id: expected a value starting with \"usr_\""),
        Case("request_id=r", .userCreateResponse, ["user_id"], "missing required field"),
    ]

    @Test(arguments: cases)
    func malformedBodyGetsItsError(_ testCase: Case) {
        let decoder = FormDecoder()
        #expect(throws: testCase.expected) {
            switch testCase.target {
            case .tokenRequest: _ = try decoder.decode(OAuthTokenRequest.self, from: testCase.body)
            case .userCreateResponse: _ = try decoder.decode(UserCreateResponse.self, from: testCase.body)
            case .numbers: _ = try decoder.decode(Numbers.self, from: testCase.body)
            case .requiredCount: _ = try decoder.decode(RequiredCount.self, from: testCase.body)
            case .lists: _ = try decoder.decode(Lists.self, from: testCase.body)
            case .nested: _ = try decoder.decode(Nested.self, from: testCase.body)
            }
        }
    }

    @Test func errorsNeverQuoteTheValueThatFailed() {
        let secret = "sup3r-s3cret-value"
        let bodies = [
            "grant_type=x&secret=\(secret)%ZZ",
            "grant_type=x&secret=\(secret)%FF",
            "grant_type=x&secret=\(secret)&secret=\(secret)",
            "count=\(secret)",
            "enabled=\(secret)",
        ]
        for body in bodies {
            do {
                _ = try FormDecoder().decode(OAuthTokenRequest.self, from: body)
                _ = try FormDecoder().decode(Numbers.self, from: body)
                Issue.record("\(body) decoded")
            } catch {
                #expect(!error.description.contains(secret))
                #expect(!error.reason.contains("s3cret"))
            }
        }
    }

    @Test func hostileBodiesFailOrSucceedWithoutCrashing() {
        var generator = SeededGenerator(seed: 99)
        let alphabet: [UInt8] = Array("ab=&[]%+0F".utf8) + [0xC3, 0xFF, 0x00]
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let body = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            _ = try? FormDecoder(maximumDepth: 3).decode([String: [String: String]].self, from: body)
            _ = try? FormDecoder().decode(OAuthTokenRequest.self, from: body)
        }
    }
}
