import Foundation
import ShareModels
import ShareWire

/// `share-bench wire`: form encode + decode of a token-exchange `OAuthTokenRequest` against
/// Foundation's `JSONEncoder` + `JSONDecoder` on the same value, in the same run.
struct WireCodecBenchmark {
    /// The value both codecs round-trip: the multi-user token exchange, with the client's
    /// credentials in the body, as a partner integration sends it.
    static let request: OAuthTokenRequest = {
        var request = OAuthTokenRequest.creditMultiUser(
            user: try! UserID("usr_9nSp2KuZ2x4JDw"),
            audience: Audience(
                .client("68f7f7ae0b7c2a0016e3f5a1"),
                Audience.Member(rawValue: "urn:plaid:params:cra-partner:experian"),
                Audience.Member(rawValue: "urn:plaid:params:cra-partner:fannie-mae")
            ),
            scope: .read
        )
        request.clientID = "5f8d0d55b3f4c50011e4a7b2"
        request.secret = "c4a1a8f0d1e2b3c4d5e6f7a8b9c0d1"
        return request
    }()

    func run() throws {
        let request = Self.request
        let form = FormEncoder()
        let formDecoder = FormDecoder()
        let jsonEncoder = JSONEncoder()
        let jsonDecoder = JSONDecoder()

        // Both must reproduce the value, or the comparison means nothing.
        let formBody = try form.encode(request)
        guard try formDecoder.decode(OAuthTokenRequest.self, from: formBody) == request,
            try jsonDecoder.decode(OAuthTokenRequest.self, from: jsonEncoder.encode(request)) == request
        else {
            throw BenchmarkFailure(reason: "a codec did not round-trip the request")
        }

        let rates = try Throughput().compare([
            {
                let body = try form.encode(request)
                let decoded = try formDecoder.decode(OAuthTokenRequest.self, from: body)
                precondition(decoded.grantType == request.grantType)
            },
            {
                let body = try jsonEncoder.encode(request)
                let decoded = try jsonDecoder.decode(OAuthTokenRequest.self, from: body)
                precondition(decoded.grantType == request.grantType)
            },
        ])
        let (formRate, jsonRate) = (rates[0], rates[1])

        print("OAuthTokenRequest (token exchange, \(formBody.utf8.count)-byte form body), encode + decode:")
        print("  FormEncoder + FormDecoder     \(Self.format(formRate)) ops/s")
        print("  JSONEncoder + JSONDecoder     \(Self.format(jsonRate)) ops/s")
        print("  ratio form / JSON             \(String(format: "%.2f", formRate / jsonRate))x")
    }

    static func format(_ rate: Double) -> String {
        let text = String(Int(rate.rounded()))
        return String(repeating: " ", count: max(0, 9 - text.count)) + text
    }
}
