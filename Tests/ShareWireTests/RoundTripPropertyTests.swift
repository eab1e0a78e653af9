import ShareModels
import ShareWire
import Testing

/// Every generated value survives encode → decode unchanged, through both codecs.
@Suite("Round trips over generated values")
struct RoundTripPropertyTests {
    static let iterations = 500
    static let seeds: [UInt64] = [1, 0x5EED, 20_261_122]

    /// Encodes and decodes `value` through `format`, recording the seed and iteration on failure.
    private func roundTrip<T: Codable & Equatable>(_ value: T, _ format: WireFormat, seed: UInt64, iteration: Int) {
        do {
            let bytes = try format.encode(value)
            let decoded = try format.decode(T.self, from: bytes)
            #expect(decoded == value, "seed \(seed), iteration \(iteration): \(String(decoding: bytes, as: UTF8.self))")
        } catch {
            Issue.record("seed \(seed), iteration \(iteration): \(error)")
        }
    }

    private func check<T: Codable & Equatable>(_ make: (inout WireValueGenerator) -> T) {
        for seed in Self.seeds {
            var generator = WireValueGenerator(seed: seed)
            for iteration in 0..<Self.iterations {
                let value = make(&generator)
                roundTrip(value, .json, seed: seed, iteration: iteration)
                roundTrip(value, .form, seed: seed, iteration: iteration)
            }
        }
    }

    @Test func tokenRequestsRoundTripThroughBothCodecs() { check { $0.tokenRequest() } }
    @Test func introspectRequestsRoundTripThroughBothCodecs() { check { $0.introspectRequest() } }
    @Test func revokeRequestsRoundTripThroughBothCodecs() { check { $0.revokeRequest() } }
    @Test func userCreateRequestsRoundTripThroughBothCodecs() { check { $0.userCreateRequest() } }
    @Test func tokenResponsesRoundTripThroughBothCodecs() { check { $0.tokenResponse() } }
    @Test func introspectResponsesRoundTripThroughBothCodecs() { check { $0.introspectResponse() } }
    @Test func errorResponsesRoundTripThroughBothCodecs() { check { $0.errorResponse() } }
    @Test func nestedValuesWithListsAndNumbersRoundTripThroughBothCodecs() { check { $0.sample() } }

    @Test func formEncodingOfTheSameValueIsAlwaysTheSameBytes() throws {
        var generator = WireValueGenerator(seed: 7)
        for _ in 0..<Self.iterations {
            let value = generator.sample()
            #expect(try FormEncoder().encode(value) == FormEncoder().encode(value))
            #expect(try WireJSON.encode(value) == WireJSON.encode(value))
        }
    }
}
