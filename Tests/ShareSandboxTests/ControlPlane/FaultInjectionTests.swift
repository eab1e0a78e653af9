import Foundation
import HTTPTypes
import NIOCore
import ShareModels
import ShareSandbox
import Testing

@Suite("Control plane: injected faults, through the real HTTP server")
struct FaultInjectionTests {
    static let faultHeader = HTTPField.Name("Sandbox-Fault")!

    static func withSandbox(_ test: @escaping @Sendable (SandboxTestClient, Int) async throws -> Void) async throws {
        try await LiveAPI.withSandbox(configuration: ControlPlaneHarness.configuration(), test)
    }

    @Test("a fault hits exactly the method, path and client it names, for `times` requests, then runs out")
    func exactMatching() async throws {
        try await Self.withSandbox { client, _ in
            let id = try await client.addFault(
                #"{"method":"POST","path":"/oauth/token","client_id":"lender","status":503,"times":2}"#)
            #expect(id.hasPrefix("flt_"))
            // Another method, another path, another client: untouched, and nothing counted down.
            #expect(try await client.send("/oauth/token", method: .get).status == 405)
            #expect(try await client.introspect(SandboxHarness.lender, "no-such-token").status == 200)
            let other = try await client.clientCredentials(SandboxHarness.otherApp)
            #expect(other.status == 200)
            #expect(other.headers[Self.faultHeader] == nil)
            #expect(try await client.send("/oauth/token?x=1", method: .post).headers[Self.faultHeader] == nil)
            let listed = try await client.control("/sandbox/faults", method: .get)
            guard case .array(let faults)? = listed["faults"], case .object(let fault)? = faults.first else {
                Issue.record("no fault listed: \(listed.bodyText)")
                return
            }
            #expect(fault["remaining"] == .integer(2))
            #expect(fault["times"] == .integer(2))

            // The named client, by client_id in a JSON body: the OAuth error shape.
            let first = try await client.clientCredentials(SandboxHarness.lender)
            #expect(first.status == 503)
            #expect(first.isOAuthError)
            #expect(first.error == "temporarily_unavailable")
            #expect(first.headers[Self.faultHeader] == id)
            #expect(first.string("error_description")?.contains(id) == true)
            // …and by HTTP Basic with a form body.
            let basic = try await client.form(
                "/oauth/token", [("grant_type", "client_credentials")], headers: ControlPlaneHarness.basic)
            #expect(basic.status == 503)
            #expect(basic.headers[Self.faultHeader] == id)
            // Run out: removed, and the next request runs.
            #expect(try await client.control("/sandbox/faults", method: .get)["faults"] == .array([]))
            let after = try await client.clientCredentials(SandboxHarness.lender)
            #expect(after.status == 200)
            #expect(after.headers[Self.faultHeader] == nil)
        }
    }

    @Test("a client_id fault reads PLAID-CLIENT-ID and a form body's client_id too")
    func clientIDSources() async throws {
        try await Self.withSandbox { client, _ in
            _ = try await client.addFault(#"{"path":"/oauth/token","client_id":"lender","status":500,"times":2}"#)
            let headers: HTTPFields = [.plaidClientID: "lender", .plaidSecret: "lender-secret"]
            #expect(try await client.form("/oauth/token", [("grant_type", "client_credentials")], headers: headers).status == 500)
            let form = try await client.form(
                "/oauth/token", [("grant_type", "client_credentials"), ("client_id", "lender"), ("client_secret", "lender-secret")])
            #expect(form.status == 500)
            #expect(form.error == "server_error")
            // The body read for matching still reaches the route.
            #expect(try await client.form(
                "/oauth/token", [("grant_type", "client_credentials"), ("client_id", "lender"), ("client_secret", "lender-secret")]
            ).status == 200)
        }
    }

    @Test(
        "a faulted status answers in the endpoint's own error shape",
        arguments: [
            ("/oauth/introspect", "oauth"), ("/oauth/revoke", "oauth"), ("/user/create", "plaid"),
            ("/api/v1/connect/share-tokens", "jsonapi"), ("/api/v1/connect/connections", "jsonapi"), ("/api/v1/events", "jsonapi"),
        ])
    func endpointShapes(path: String, shape: String) async throws {
        try await Self.withSandbox { client, _ in
            let method = path == "/api/v1/events" ? "GET" : "POST"
            let id = try await client.addFault(#"{"method":"\#(method)","path":"\#(path)","status":502,"times":1}"#)
            let answer = try await client.send(
                path, method: HTTPRequest.Method(method)!, headers: [.authorization: "Bearer source-key", .contentType: "application/json"],
                body: method == "POST" ? Array("{}".utf8) : nil)
            #expect(answer.status == 502)
            #expect(answer.headers[Self.faultHeader] == id)
            switch shape {
            case "oauth":
                #expect(answer.isOAuthError)
                #expect(answer.error == "server_error")
            case "plaid":
                #expect(answer.isPlaidError)
                #expect(answer.string("error_type") == "API_ERROR")
            default:
                #expect(answer.isJSONAPIError)
                #expect(answer.headers[.contentType] == "application/vnd.api+json")
            }
        }
    }

    @Test("a 429 carries Retry-After; a body replaces the endpoint's error body")
    func retryAfterAndBody() async throws {
        try await Self.withSandbox { client, _ in
            let limited = try await client.addFault(#"{"path":"/user/create","status":429,"times":1}"#)
            let answer = try await client.authenticated("/user/create", as: SandboxHarness.lender, ["client_user_id": "u1"])
            #expect(answer.status == 429)
            #expect(answer.headers[.retryAfter] == "1")
            #expect(answer.headers[Self.faultHeader] == limited)
            #expect(answer.string("error_type") == "RATE_LIMIT_EXCEEDED")

            let custom = try await client.addFault(
                #"{"path":"/oauth/token","status":418,"body":{"teapot":true,"list":[1,"a"]},"times":1}"#)
            let replaced = try await client.clientCredentials(SandboxHarness.lender)
            #expect(replaced.status == 418)
            #expect(replaced.bodyText == #"{"list":[1,"a"],"teapot":true}"# || replaced.json == ["teapot": .bool(true), "list": .array([.integer(1), .string("a")])])
            #expect(replaced.headers[Self.faultHeader] == custom)
            #expect(replaced.headers[.retryAfter] == nil)
        }
    }

    @Test("a delay really delays, then the real answer (or the fault's status) follows")
    func delay() async throws {
        try await Self.withSandbox { client, _ in
            let id = try await client.addFault(#"{"method":"GET","path":"/healthz","delay_ms":400,"times":1}"#)
            let clock = ContinuousClock()
            let start = clock.now
            let delayed = try await client.send("/healthz", method: .get)
            #expect(clock.now - start >= .milliseconds(400))
            #expect(delayed.status == 200)
            #expect(delayed.string("status") == "ok")
            #expect(delayed.headers[Self.faultHeader] == id)

            _ = try await client.addFault(#"{"method":"GET","path":"/healthz","delay_ms":300,"status":504,"times":1}"#)
            let again = clock.now
            let failed = try await client.send("/healthz", method: .get)
            #expect(clock.now - again >= .milliseconds(300))
            #expect(failed.status == 504)
            #expect(failed.isOAuthError)
        }
    }

    @Test("drop_connection closes the socket without a byte of answer, once")
    func dropConnection() async throws {
        try await Self.withSandbox { client, port in
            let id = try await client.addFault(#"{"method":"GET","path":"/healthz","drop_connection":true,"times":1}"#)
            let outcome = try await RawTCPConnection.watch(port: port, for: .seconds(10)) { outbound in
                try await outbound.write(RawTCPConnection.request("GET", "/healthz"))
            }
            #expect(outcome.closedByServer)
            #expect(outcome.received.isEmpty, "received: \(outcome.received)")
            #expect(try await client.control("/sandbox/faults", method: .get)["faults"] == .array([]))
            // The next connection is answered as usual.
            let next = try await RawTCPConnection.watch(port: port, for: .seconds(10)) { outbound in
                try await outbound.write(RawTCPConnection.request("GET", "/healthz", headers: ["Connection: close"]))
            }
            #expect(next.received.hasPrefix("HTTP/1.1 200"))
            #expect(!next.received.contains(id))
        }
    }

    @Test("/sandbox/ paths are never faulted; faults are listed, deleted one by one or all at once")
    func managingFaults() async throws {
        try await Self.withSandbox { client, _ in
            let refused = try await client.control("/sandbox/faults", body: #"{"path":"/sandbox/clock","status":503,"times":1}"#)
            #expect(refused.status == 400)
            #expect(refused.isPlaidError)
            let created = try await client.control("/sandbox/faults", body: #"{"path":"/healthz","status":503,"times":3}"#)
            #expect(created.status == 201)
            let id = try #require(created.string("id"))
            #expect(created.headers[.location] == "/sandbox/faults/\(id)")
            #expect(created.keys == ["id", "path", "status", "drop_connection", "times", "remaining"])
            let second = try await client.addFault(#"{"path":"/","delay_ms":5,"times":1}"#)
            let listed = try await client.control("/sandbox/faults", method: .get)
            #expect(listed.keys == ["faults"])
            guard case .array(let faults)? = listed["faults"] else { throw ControlPlaneTestError("no list") }
            #expect(faults.count == 2)

            let removed = try await client.control("/sandbox/faults/\(id)", method: .delete)
            #expect(removed.status == 200)
            #expect(removed.string("id") == id)
            let again = try await client.control("/sandbox/faults/\(id)", method: .delete)
            #expect(again.status == 404)
            #expect(again.isPlaidError)
            #expect(try await client.send("/healthz", method: .get).status == 200)

            let all = try await client.control("/sandbox/faults", method: .delete)
            #expect(all.status == 200)
            #expect(all.json == ["removed": .integer(1)])
            #expect(try await client.send("/", method: .get).headers[Self.faultHeader] == nil)
            _ = second
        }
    }

    @Test(
        "bad fault requests get a clear 400 in Plaid's shape",
        arguments: [
            #"{"path":"/oauth/token","status":600,"times":1}"#, #"{"path":"/oauth/token","status":503,"times":0}"#,
            #"{"path":"oauth/token","status":503,"times":1}"#, #"{"path":"/oauth/token","delay_ms":600000,"times":1}"#,
            #"{"path":"/oauth/token","status":503,"times":1,"extra":1}"#, #"{"path":"/oauth/token","times":1}"#,
            #"{"status":503,"times":1}"#, #"[]"#, "{",
        ])
    func badRequests(body: String) async throws {
        try await Self.withSandbox { client, _ in
            let answer = try await client.control("/sandbox/faults", body: body)
            #expect(answer.status == 400, "\(body): \(answer.bodyText)")
            #expect(answer.isPlaidError)
            #expect(try await client.control("/sandbox/faults", method: .get)["faults"] == .array([]))
        }
    }

    @Test("the control plane needs a client's credentials or an organization's API key (401 otherwise)")
    func authentication() async throws {
        try await Self.withSandbox { client, _ in
            let refusals: [HTTPFields] = [
                [:], [.authorization: "Bearer wrong-key"],
                [.authorization: "Basic " + Data("lender:wrong".utf8).base64EncodedString()],
                [.plaidClientID: "lender", .plaidSecret: "wrong"], [.plaidClientID: "lender"], [.authorization: "Basic %%%"],
            ]
            for headers in refusals {
                for (path, method) in [("/sandbox/clock", HTTPRequest.Method.get), ("/sandbox/reset", .post), ("/sandbox/faults", .post)] {
                    let answer = try await client.control(path, method: method, body: method == .post ? "{}" : nil, headers: headers)
                    #expect(answer.status == 401, "\(headers) \(path)")
                    #expect(answer.isPlaidError)
                    #expect(answer.string("error_code") == "INVALID_API_KEYS")
                }
            }
            // Body credentials are not credentials here.
            let bodyOnly = try await client.control(
                "/sandbox/clock/advance", body: #"{"seconds":1,"client_id":"lender","secret":"lender-secret"}"#, headers: [:])
            #expect(bodyOnly.status == 401)
            let accepted: [HTTPFields] = [
                ControlPlaneHarness.basic, [.authorization: "Bearer destination-key"],
                [.plaidClientID: "other-app", .plaidSecret: SandboxHarness.otherApp.secret],
            ]
            for headers in accepted {
                #expect(try await client.control("/sandbox/clock", method: .get, headers: headers).status == 200)
            }
        }
    }
}
