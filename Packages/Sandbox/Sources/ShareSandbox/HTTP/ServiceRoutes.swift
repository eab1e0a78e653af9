import HTTPTypes
import Hummingbird

/// `GET /` (what this server is) and `GET /healthz` (whether it answers).
struct ServiceRoutes: Sendable {
    let partners: [String]
    let clientIDs: [String]
    /// Whether the `/sandbox/` control plane is served, and listed.
    var controlPlane = false

    static let paths: [String: [HTTPRequest.Method]] = ["/": [.get], "/healthz": [.get]]

    struct Description: Encodable {
        var name: String
        var description: String
        var endpoints: [String]
        var partners: [String]
        var clients: [String]
        var documentation: String
        var requestID: String

        enum CodingKeys: String, CodingKey {
            case name, description, endpoints, partners, clients, documentation
            case requestID = "request_id"
        }
    }

    struct Health: Encodable {
        var status: String
        var requestID: String

        enum CodingKeys: String, CodingKey {
            case status
            case requestID = "request_id"
        }
    }

    /// The control plane's endpoints, listed when it is served.
    static let controlPlaneEndpoints = [
        "GET /sandbox/clock", "POST /sandbox/clock/advance", "POST /sandbox/clock/reset", "POST /sandbox/faults",
        "GET /sandbox/faults", "DELETE /sandbox/faults", "DELETE /sandbox/faults/{id}", "POST /sandbox/events/{id}/redeliver",
        "POST /sandbox/webhooks/test", "POST /sandbox/reset",
    ]

    func add(to router: Router<SandboxRequestContext>) {
        router.get("/") { _, context in
            JSONResponse.make(
                Description(
                    name: "ShareKit sandbox",
                    description:
                        "An offline emulator of the OAuth token API (issue, refresh, exchange, introspect, revoke) and of share tokens between organizations.",
                    endpoints: [
                        "POST /user/create", "POST /oauth/token", "POST /oauth/introspect", "POST /oauth/revoke",
                        "POST /api/v1/connect/share-tokens", "GET /api/v1/connect/share-tokens",
                        "GET /api/v1/connect/share-tokens/{id}", "POST /api/v1/connect/share-tokens/{id}/redeem",
                        "POST /api/v1/connect/share-tokens/{id}/expire", "GET /api/v1/events", "GET /api/v1/workflow-runs",
                        "GET /api/v1/inquiries/{id}", "GET /api/v1/transactions/{id}", "GET /api/v1/accounts/{id}",
                        "POST /api/v1/inquiries/{id}/complete", "GET /healthz",
                    ] + (controlPlane ? Self.controlPlaneEndpoints : []),
                    partners: partners,
                    clients: clientIDs,
                    documentation: "docs/sandbox.md and docs/openapi.yaml in the ShareKit repository",
                    requestID: context.requestID
                )
            )
        }
        router.get("/healthz") { _, context in
            JSONResponse.make(Health(status: "ok", requestID: context.requestID))
        }
    }
}
