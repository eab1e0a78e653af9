import InMemoryLogging
import Logging
import ShareClient
import ShareCredentials
import ShareModels
import ShareTransport
import Testing

@Suite("No secret or token reaches a log line or an error")
struct LogRedactionTests {
    @Test("every log line and error of successes, retries, refusals and unreadable answers is free of secrets and tokens")
    func logsAreRedacted() async throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "redaction-test", factory: { _ in handler })
        logger.logLevel = .trace
        let calls = Counter()
        let api = MockAPI { sent in
            switch (sent.path, calls.increment()) {
            case ("/oauth/introspect", 2): return (503, #"{"error":"busy","request_id":"r-busy"}"#)
            case ("/oauth/introspect", _): return (200, #"{"active":true,"client_id":"c","request_id":"r-ok"}"#)
            case ("/oauth/revoke", _): return (400, #"{"error":"invalid_request","error_description":"bad token","request_id":"r-bad"}"#)
            case ("/user/create", _): return (200, #"{"user_id":5,"request_id":"r-user"}"#)
            default: return (200, Fixtures.tokenResponse())
            }
        }
        let client = OAuthClient(
            environment: .sandbox, credentials: ClientCredentials(clientID: Fixtures.clientID, secret: Fixtures.secret), transport: api,
            logger: logger,
            configuration: .init(credentialPlacement: .body(), retry: RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(1)))
        )
        var errors: [any Error] = []
        let tokens = try await client.clientCredentials()
        _ = try await client.introspect(Fixtures.accessToken)
        _ = try await client.introspect(Fixtures.refreshToken)
        do { try await client.revoke(Fixtures.refreshToken) } catch { errors.append(error) }
        do { _ = try await client.createUser(clientUserID: "u") } catch { errors.append(error) }
        let manager = TokenManager(client: client, tokens: tokens, refreshMargin: .seconds(3600))
        _ = try await manager.accessToken()

        #expect(errors.count == 2)
        let entries = handler.entries
        #expect(entries.count >= 10, "every call was logged")
        #expect(entries.contains { $0.metadata["request.id"] != nil })
        #expect(entries.contains { $0.metadata["api.request_id"] == "r-ok" })
        #expect(entries.contains { "\($0.message)" == "retrying request" })
        let forbidden = [Fixtures.secret, Fixtures.accessToken, Fixtures.refreshToken, "RDdg0TUCB0FB25", "viXurkDg88d5zf8m6Wl0g"]
        var texts = entries.map { entry in
            "\(entry.message) \(entry.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) \(entry.error.map { "\($0)" } ?? "")"
        }
        texts += errors.map { "\($0)" } + errors.map { String(reflecting: $0) }
        texts.append("\(tokens)")
        texts.append("\(manager)")
        for text in texts {
            for secret in forbidden {
                #expect(!text.contains(secret), "\"\(text)\" reveals a secret or token")
            }
        }
    }
}
