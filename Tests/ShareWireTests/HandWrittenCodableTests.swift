import ShareWire
import Testing

/// Types with hand-written `Codable` conformances use the `Encoder`/`Decoder` protocols in ways
/// synthesized code does not: the form codec behaves like JSON for them.
@Suite("Hand-written Codable through the form codec")
struct HandWrittenCodableTests {
    /// Asks for its top-level container twice, with two key types, after writing a nested value.
    struct TwoContainers: Codable, Equatable {
        var first: [String: String]
        var second: Int

        enum FirstKeys: String, CodingKey { case first }
        enum SecondKeys: String, CodingKey { case second }

        init(first: [String: String], second: Int) {
            self.first = first
            self.second = second
        }

        init(from decoder: any Decoder) throws {
            first = try decoder.container(keyedBy: FirstKeys.self).decode([String: String].self, forKey: .first)
            second = try decoder.container(keyedBy: SecondKeys.self).decode(Int.self, forKey: .second)
        }

        func encode(to encoder: any Encoder) throws {
            var firstContainer = encoder.container(keyedBy: FirstKeys.self)
            try firstContainer.encode(first, forKey: .first)
            var secondContainer = encoder.container(keyedBy: SecondKeys.self)
            try secondContainer.encode(second, forKey: .second)
        }
    }

    /// Uses nested containers and a super encoder, like a class hierarchy or a flattened document.
    struct Nesting: Codable, Equatable {
        var name: String
        var tags: [String]
        var base: [String: Int]

        enum Keys: String, CodingKey { case info, tags, base }
        enum InfoKeys: String, CodingKey { case name }

        init(name: String, tags: [String], base: [String: Int]) {
            self.name = name
            self.tags = tags
            self.base = base
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            name = try container.nestedContainer(keyedBy: InfoKeys.self, forKey: .info).decode(String.self, forKey: .name)
            var list = try container.nestedUnkeyedContainer(forKey: .tags)
            var tags: [String] = []
            while !list.isAtEnd { tags.append(try list.decode(String.self)) }
            self.tags = tags
            base = try [String: Int](from: container.superDecoder(forKey: .base))
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var info = container.nestedContainer(keyedBy: InfoKeys.self, forKey: .info)
            try info.encode(name, forKey: .name)
            var list = container.nestedUnkeyedContainer(forKey: .tags)
            for tag in tags { try list.encode(tag) }
            try base.encode(to: container.superEncoder(forKey: .base))
        }
    }

    @Test func aTypeAskingForItsContainerTwiceEncodesAndDecodesLikeJSON() throws {
        let value = TwoContainers(first: ["k": "v"], second: 7)
        let form = try FormEncoder().encode(value)
        #expect(form == "first%5Bk%5D=v&second=7")
        #expect(try FormDecoder().decode(TwoContainers.self, from: form) == value)
        #expect(try WireJSON.decode(TwoContainers.self, from: WireJSON.encode(value)) == value)
    }

    @Test func nestedContainersAndSuperEncodersRoundTrip() throws {
        let value = Nesting(name: "n", tags: ["a", "b"], base: ["x": 1])
        let form = try FormEncoder().encode(value)
        #expect(form == "info%5Bname%5D=n&tags=a&tags=b&base%5Bx%5D=1")
        #expect(try FormDecoder().decode(Nesting.self, from: form) == value)
    }

    @Test func errorsInsideNestedContainersCarryTheirPath() {
        #expect(throws: WireError(codingPath: ["base", "x"], reason: "expected an integer, found non-numeric text")) {
            try FormDecoder().decode(Nesting.self, from: "info[name]=n&base[x]=one")
        }
        #expect(throws: WireError(codingPath: ["info", "name"], reason: "missing required field")) {
            try FormDecoder().decode(Nesting.self, from: "tags=a")
        }
        #expect(throws: WireError(codingPath: ["second"], reason: "missing required field")) {
            try FormDecoder().decode(TwoContainers.self, from: "first[k]=v")
        }
    }
}
