import Foundation
import HTTPTypes
import ShareTransport
import ShareWire

/// An in-memory API: answers each request with a handler and records what was sent.
final class MockAPI: HTTPTransport, @unchecked Sendable {
    struct Sent: Sendable {
        var request: HTTPRequest
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var path: String { request.path ?? "" }

        func json() throws -> [String: String] { try WireJSON.decode([String: String].self, from: body) }
    }

    typealias Handler = @Sendable (Sent) async throws -> (Int, String)

    private let lock = NSLock()
    private var recorded: [Sent] = []
    private let handler: Handler

    init(_ handler: @escaping Handler) { self.handler = handler }

    /// Answers every request with `status` and `body`.
    convenience init(status: Int = 200, body: String) { self.init { _ in (status, body) } }

    var sent: [Sent] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
        let sent = Sent(request: request, body: try await body?.collect(upTo: 1 << 20) ?? [])
        lock.withLock { recorded.append(sent) }
        let (status, text) = try await handler(sent)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return (HTTPResponse(status: .init(code: status), headerFields: headers), HTTPBody(text))
    }
}

enum Fixtures {
    static let clientID = "68028ce48d2b0dec68747f6c"
    static let secret = "TOPSECRET-client-secret-0b7c"
    static let accessToken = "pda-RDdg0TUCB0FB25_UPIlnhA=="
    static let refreshToken = "pdr--viXurkDg88d5zf8m6Wl0g=="

    static func tokenResponse(access: String = accessToken, refresh: String = refreshToken, expiresIn: Int = 900, requestID: String = "m8MDqcS6F3lzqvP") -> String {
        #"{"access_token":"\#(access)","refresh_token":"\#(refresh)","expires_in":\#(expiresIn),"token_type":"Bearer","request_id":"\#(requestID)"}"#
    }
}
