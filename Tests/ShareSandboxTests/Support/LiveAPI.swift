import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ShareModels
import ShareSandbox
import Testing

/// A sandbox served over a real socket for a test: `client` talks over one keep-alive
/// connection, and ``send(port:_:method:headers:body:)`` opens a connection per request, so that
/// a test can send requests at the same time.
enum LiveAPI {
    static func withSandbox(
        configuration: SandboxConfiguration, _ test: @escaping @Sendable (_ client: SandboxTestClient, _ port: Int) async throws -> Void
    ) async throws {
        let app = try await SandboxServer.buildApplication(configuration: configuration)
        try await app.test(.live) { client in
            try await test(SandboxTestClient(client: client), try #require(client.port))
        }
    }

    /// One request on a connection of its own.
    static func send(
        port: Int, _ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> SandboxAnswer {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var headers = headers
            if body != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
            let request = TestClient.Request(
                path, method: method, authority: "127.0.0.1:\(port)", headers: headers, body: body.map { ByteBuffer(string: $0) })
            let response = try await client.execute(request)
            let text = String(buffer: response.body ?? ByteBuffer())
            let json = (try? JSONDecoder().decode([String: AttributeValue].self, from: Data(text.utf8))) ?? [:]
            return SandboxAnswer(status: Int(response.head.status.code), headers: response.head.headerFields, bodyText: text, json: json)
        }
    }

    /// The create body of a share token of the harness's inquiry.
    static let createBody =
        #"{"data":{"type":"connect/share-token","attributes":{"connection-id":"\#(ShareTokenHarness.connection)","source-id":"\#(ShareTokenHarness.inquiry)"}}}"#
}

extension SandboxTestClient {
    /// A request to the share-token API with extra headers.
    func api(
        _ path: String, method: HTTPRequest.Method = .get, as organization: ShareTokenSeed.Organization?, body: String? = nil,
        headers extra: HTTPFields
    ) async throws -> SandboxAnswer {
        var headers = extra
        if let organization { headers[.authorization] = "Bearer \(organization.apiKey)" }
        if body != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await send(path, method: method, headers: headers, body: body.map { Array($0.utf8) })
    }
}

extension SandboxAnswer {
    /// `links.prev`.
    var prevLink: String? {
        guard case .object(let links) = json["links"], case .string(let prev) = links["prev"] else { return nil }
        return prev
    }

    /// A header of the answer by name.
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}
