import Foundation
import HTTPTypes
import Hummingbird
import ShareTestSupport
import ShareClient
import ShareCredentials
import ShareModels
import ShareTransportAHC
import Testing

@Suite("OAuthClient over AsyncHTTPClient against a live server")
struct LiveServerTests {
    /// A tiny OAuth server: checks the PLAID headers (or HTTP Basic) and answers introspection.
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/oauth/introspect") { request, _ -> Response in
            var id = request.headers[.plaidClientID]
            var secret = request.headers[.plaidSecret]
            if let authorization = request.headers[.authorization], let basic = try? BasicAuthorization.parse(authorization) {
                id = basic.clientID
                secret = basic.secret.revealed
            }
            let body = try await request.body.collect(upTo: 1 << 16)
            let text = String(buffer: body)
            guard id == Fixtures.clientID, secret == Fixtures.secret else {
                return json(401, #"{"error":"invalid_client","error_description":"client authentication failed","request_id":"live-401"}"#)
            }
            let active = text.contains("RDdg0TUCB0FB25_UPIlnhA")
            return json(200, active ? #"{"active":true,"scope":"user:read","client_id":"\#(Fixtures.clientID)","request_id":"live-1"}"# : #"{"active":false,"request_id":"live-2"}"#)
        }
        return router
    }

    static func json(_ status: Int, _ text: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Test("introspect travels over real sockets, with header or Basic credentials, and errors come back typed")
    func liveIntrospect() async throws {
        try await withLiveServer(Self.router()) { port in
            let environment = APIEnvironment.custom(URL(string: "http://127.0.0.1:\(port)")!)
            try await AHCTransport.withTransport { transport in
                let client = OAuthClient(
                    environment: environment, credentials: ClientCredentials(clientID: Fixtures.clientID, secret: Fixtures.secret), transport: transport
                )
                let active = try await client.introspect(Fixtures.accessToken)
                #expect(active.active && active.requestID == "live-1" && active.scope == .read)
                #expect(try await client.introspect("pda-unknown").active == false)

                let basic = OAuthClient(
                    environment: environment, credentials: ClientCredentials(clientID: Fixtures.clientID, secret: Fixtures.secret), transport: transport,
                    configuration: .init(format: .form, credentialPlacement: .basic)
                )
                #expect(try await basic.introspect(Fixtures.accessToken).active)

                let wrong = OAuthClient(environment: environment, credentials: ClientCredentials(clientID: Fixtures.clientID, secret: "wrong"), transport: transport)
                await #expect {
                    try await wrong.introspect(Fixtures.accessToken)
                } throws: { error in
                    detail(error, OAuthError.self)?.code == .invalidClient && detail(error, OAuthError.self)?.status == 401 && detail(error, OAuthError.self)?.requestID == "live-401"
                }
            }
        }
    }
}
