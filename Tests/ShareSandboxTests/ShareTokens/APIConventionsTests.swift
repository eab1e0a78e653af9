import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox
import Testing

/// Persona's conventions on every answer of the share-token API, through the HTTP server: error
/// objects (https://docs.withpersona.com/errors), `Key-Inflection`
/// (https://docs.withpersona.com/api-key-inflection), rate limits
/// (https://docs.withpersona.com/rate-limiting), request ids (https://docs.withpersona.com/request-ids)
/// and `Persona-Version` (https://docs.withpersona.com/versioning).
@Suite("Share tokens: Persona's API conventions")
struct APIConventionsTests {
    static func headers(_ name: String, _ value: String) -> HTTPFields {
        HTTPFields([HTTPField(name: HTTPField.Name(name)!, value: value)])
    }

    @Test("error objects carry title, details and source.pointer or source.parameter, never detail")
    func errorObjects() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            let invalid = try await client.createShareToken(expiresIn: "5")
            #expect(invalid.status == 422)
            let error = try #require(Self.firstError(invalid))
            #expect(error["title"] == .string("Invalid attribute"))
            #expect(error["details"] != nil)
            #expect(error["detail"] == nil)
            #expect(invalid.errorPointers == ["/data/attributes/expires-in-seconds"])

            let badPage = try await client.api("/api/v1/connect/share-tokens?page[size]=0", as: ShareTokenHarness.source)
            #expect(badPage.status == 400)
            guard case .object(let source)? = Self.firstError(badPage)?["source"] else { Issue.record("no source"); return }
            #expect(source["parameter"] == .string("page[size]"))

            let unauthorized = try await client.api("/api/v1/connect/share-tokens", as: nil)
            #expect(unauthorized.status == 401)
            #expect(Self.firstError(unauthorized)?["details"] != nil)
        }
    }

    @Test("Key-Inflection camel and snake change the keys of answers, never values or ids; kebab is the default")
    func answerInflection() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            let kebab = try await client.createShareToken()
            let id = try #require(kebab.dataID)
            #expect(kebab.bodyText.contains("\"created-at\""))

            let camel = try await client.api(
                "/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.source, headers: Self.headers("Key-Inflection", "camel"))
            #expect(camel.status == 200)
            #expect(camel.bodyText.contains("\"createdAt\""))
            #expect(camel.bodyText.contains("\"expiresAt\""))
            #expect(!camel.bodyText.contains("\"created-at\""))
            #expect(camel.dataID == id)
            #expect(camel.bodyText.contains("\"connect/share-token\""))

            let snake = try await client.api(
                "/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.source, headers: Self.headers("Key-Inflection", "snake"))
            #expect(snake.bodyText.contains("\"created_at\""))
            #expect(snake.bodyText.contains("\"connect/share-token\""))

            // A listing's links and the records' own attribute keys are inflected too; their values are not.
            let events = try await client.api("/api/v1/events?page[size]=1", as: ShareTokenHarness.source, headers: Self.headers("Key-Inflection", "camel"))
            #expect(events.bodyText.contains("\"createdAt\""))
            #expect(events.bodyText.contains("connect/share-token.outbound-created"))
            let record = try await client.api(
                "/api/v1/inquiries/\(ShareTokenHarness.inquiry)", as: ShareTokenHarness.source, headers: Self.headers("Key-Inflection", "snake"))
            #expect(record.bodyText.contains("\"name_first\""))
            #expect(record.bodyText.contains("\"Alex\""))

            // Errors keep their shape; the pointer (a value) stays as the API names the attribute.
            let error = try await client.api(
                "/api/v1/connect/share-tokens?page[size]=500", as: ShareTokenHarness.source, headers: Self.headers("Key-Inflection", "camel"))
            #expect(error.status == 400)
            #expect(error.isJSONAPIError)

            let unknown = try await client.api(
                "/api/v1/connect/share-tokens", as: ShareTokenHarness.source, headers: Self.headers("Key-Inflection", "pascal"))
            #expect(unknown.status == 400)
            #expect(unknown.isJSONAPIError)
        }
    }

    @Test("request keys are accepted in camelCase, snake_case and kebab-case")
    func requestInflection() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            for (connection, source, expires) in [
                ("connectionId", "sourceId", "expiresInSeconds"), ("connection_id", "source_id", "expires_in_seconds"),
                ("connection-id", "source-id", "expires-in-seconds"),
            ] {
                let body = #"{"data":{"type":"connect/share-token","attributes":{"\#(connection)":"\#(ShareTokenHarness.connection)","\#(source)":"\#(ShareTokenHarness.inquiry)","\#(expires)":3600}}}"#
                let created = try await client.api(
                    "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: body,
                    headers: Self.headers("Key-Inflection", connection.contains("_") ? "snake" : "camel"))
                #expect(created.status == 201, "\(connection): \(created.bodyText)")
                let key = connection.contains("_") ? "expires_at" : "expiresAt"
                #expect(created.bodyText.contains("\"\(key)\""))
            }
            // Values are never rewritten: a camelCase id stays as sent (and is refused as not a connection id).
            let body = #"{"data":{"attributes":{"connectionId":"connectionId","sourceId":"\#(ShareTokenHarness.inquiry)"}}}"#
            let refused = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: body)
            #expect(refused.status == 422)
            #expect(refused.errorPointers == ["/data/attributes/connection-id"])
        }
    }

    @Test("every answer has a Request-Id; authenticated answers have RateLimit headers")
    func headersOnEveryAnswer() async throws {
        var configuration = ShareTokenHarness.configuration(clock: ManualClock())
        configuration.apiRateLimit = SandboxConfiguration(port: 0).apiRateLimit  // Persona's default, 300
        try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
            let answers = [
                try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source),
                try await client.createShareToken(expiresIn: "5"),
                try await client.api("/api/v1/connect/share-tokens/cnst_unknown", as: ShareTokenHarness.source),
            ]
            var ids: Set<String> = []
            for answer in answers {
                let id = try #require(answer.header("Request-Id"))
                #expect(id.hasPrefix("req_"))
                ids.insert(id)
                #expect(answer.header("RateLimit-Limit") == "300")
                #expect(answer.header("RateLimit-Remaining").flatMap(Int.init) != nil)
                #expect(answer.header("RateLimit-Reset").flatMap(Int.init).map { (0...60).contains($0) } == true)
            }
            #expect(ids.count == answers.count)
            let unauthenticated = try await client.api("/api/v1/connect/share-tokens", as: nil)
            #expect(unauthenticated.header("Request-Id")?.hasPrefix("req_") == true)
            #expect(unauthenticated.header("RateLimit-Limit") == nil)
            let notFound = try await client.api("/api/v1/nothing-here", as: ShareTokenHarness.source)
            #expect(notFound.header("Request-Id")?.hasPrefix("req_") == true)
        }
    }

    @Test("over the per-key limit the answer is 429 in the error shape, until the window resets; other keys are unaffected")
    func rateLimit() async throws {
        let clock = ManualClock()
        var configuration = ShareTokenHarness.configuration(clock: clock)
        configuration.apiRateLimit = 3
        try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
            var remaining: [String?] = []
            for _ in 0..<3 {
                let answer = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
                #expect(answer.status == 200)
                remaining.append(answer.header("RateLimit-Remaining"))
            }
            #expect(remaining == ["2", "1", "0"])
            clock.advance(seconds: 20)
            let refused = try await client.createShareToken()
            #expect(refused.status == 429)
            #expect(refused.isJSONAPIError)
            #expect(refused.header("RateLimit-Limit") == "3")
            #expect(refused.header("RateLimit-Remaining") == "0")
            #expect(refused.header("RateLimit-Reset") == "40")
            #expect(Self.firstError(refused)?["details"] != nil)
            // Nothing was created by the refused request, and another key still has its own budget.
            #expect(try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.destination).listedIDs.isEmpty)
            clock.advance(seconds: 40)
            let again = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
            #expect(again.status == 200)
            #expect(again.header("RateLimit-Remaining") == "2")
            #expect(again.header("RateLimit-Reset") == "60")
        }
    }

    @Test("Persona-Version is accepted when it is a dated version and refused with 400 otherwise")
    func personaVersion() async throws {
        try await LiveAPI.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock())) { client, _ in
            for version in ["2025-12-08", "2023-01-05"] {
                let answer = try await client.api(
                    "/api/v1/connect/share-tokens", as: ShareTokenHarness.source, headers: Self.headers("Persona-Version", version))
                #expect(answer.status == 200)
            }
            for version in ["latest", "2025-13-01", "2025-02-30", "25-12-08"] {
                let answer = try await client.api(
                    "/api/v1/connect/share-tokens", as: ShareTokenHarness.source, headers: Self.headers("Persona-Version", version))
                #expect(answer.status == 400, "\(version)")
                #expect(answer.isJSONAPIError)
            }
            // Without a valid API key the answer is 401 first, whatever the headers say.
            var headers = Self.headers("Persona-Version", "latest")
            headers[HTTPField.Name("Key-Inflection")!] = "pascal"
            #expect(try await client.api("/api/v1/connect/share-tokens", as: nil, headers: headers).status == 401)
        }
    }

    static func firstError(_ answer: SandboxAnswer) -> [String: AttributeValue]? {
        guard case .array(let errors) = answer.json["errors"], case .object(let first)? = errors.first else { return nil }
        return first
    }
}
