import Foundation
import HTTPTypes
import ShareTransport
import Testing

@testable import ShareShell

/// How the shell recognises a `share-gateway` behind `--url`: by the service its `/healthz`
/// names, else (a gateway too old to name itself) by its `/readyz`. The real gateway is
/// recognised end to end in ``ShellBinaryTests``; these pin the fallback and the refusals.
@Suite("gateway detection")
struct GatewayDetectionTests {
    /// Answers each path from `answers` (status and JSON text), 404 otherwise, and records the paths asked.
    struct ServerAnswers: HTTPTransport {
        let answers: [String: (HTTPResponse.Status, String)]

        func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
            guard let (status, text) = answers[request.path ?? ""] else { return (HTTPResponse(status: .notFound), HTTPBody("")) }
            return (HTTPResponse(status: status), HTTPBody(text))
        }
    }

    let url = URL(string: "http://127.0.0.1:9/base")!

    @Test("a /healthz naming share-gateway is a gateway, without asking /readyz")
    func healthNamesGateway() async {
        #expect(await GatewayDetection.isGateway(url, transport: ServerAnswers(answers: ["/base/healthz": (.ok, #"{"status":"ok","service":"share-gateway"}"#)])))
    }

    @Test("a /healthz naming another service is not a gateway, whatever /readyz says")
    func healthNamesAnotherService() async {
        let answers: [String: (HTTPResponse.Status, String)] = [
            "/base/healthz": (.ok, #"{"status":"ok","service":"share-sandbox"}"#), "/base/readyz": (.ok, #"{"status":"ready"}"#),
        ]
        #expect(await !GatewayDetection.isGateway(url, transport: ServerAnswers(answers: answers)))
    }

    @Test("without a service in /healthz, /readyz decides: ready or unavailable is a gateway")
    func readinessFallback() async {
        for readiness in [(HTTPResponse.Status.ok, #"{"status":"ready"}"#), (.serviceUnavailable, #"{"status":"unavailable","reason":"x"}"#)] {
            let answers = ["/base/healthz": (HTTPResponse.Status.ok, #"{"status":"ok"}"#), "/base/readyz": readiness]
            #expect(await GatewayDetection.isGateway(url, transport: ServerAnswers(answers: answers)))
        }
        #expect(await !GatewayDetection.isGateway(url, transport: ServerAnswers(answers: ["/base/healthz": (.ok, #"{"status":"ok"}"#)])))
        #expect(await !GatewayDetection.isGateway(url, transport: ServerAnswers(answers: [:])))
    }
}
