import Hummingbird
import ShareModels

/// The Connections API (<https://docs.withpersona.com/managing-connections>):
///
/// - `GET /api/v1/connect/connections`: the connections the caller is a side of, newest first.
/// - `POST /api/v1/connect/connections`: a `pending` connection from the caller to
///   `destination-organization-id`.
/// - `GET …/{id}`, `POST …/{id}/deactivate` (either side), `POST …/{id}/reactivate` (source,
///   back to `pending`).
/// - `POST …/{id}/accept` (destination, `pending` → `active`): the sandbox's stand-in for the
///   Dashboard step Persona documents for activating a connection, which has no API of its own.
extension ShareTokenRoutes {
    static let connectionsPath = "/api/v1/connect/connections"

    func addConnections(to api: RouterGroup<SandboxRequestContext>) {
        api.get("connect/connections") { request, _ in
            let organization = try authenticate(request)
            let parameters = QueryParameters(query: request.uri.query)
            let pager = try CursorPager<ConnectionID>(parameters, parse: ConnectionID.init(rawValue:), kind: "connection")
            let page = try await pager.page(id: \ConnectConnection.id, kind: "connection") { after, limit in
                try await authority.connections(of: organization.id, after: after, limit: limit).connections
            }
            let selection = try ResourceSelection(parameters, includable: [])
            let links = PageLinks(request: request, path: Self.connectionsPath).links(page, size: pager.size)
            return Self.document(
                selection.document(data: .array(try page.items.map(selection.encode)), included: [], links: Self.linksObject(links)))
        }
        api.post("connect/connections") { request, _ in
            let organization = try authenticate(request)
            let bytes = try await body(of: request)
            guard !bytes.isEmpty else {
                throw ShareTokenFailure.malformedBody("send {\"data\":{\"attributes\":{\"destination-organization-id\"}}}", pointer: "/data")
            }
            try refuseNulls(in: bytes, attributes: ["destination-organization-id"])
            let document = try decode(JSONAPIRequestDocument<ConnectConnectionCreateAttributes>.self, from: bytes)
            if let type = document.data.type, type != ConnectConnection.resourceType {
                throw ShareTokenFailure(
                    status: 409, title: "Wrong resource type", detail: "data.type must be \"\(ConnectConnection.resourceType)\"",
                    source: .init(pointer: "/data/type"))
            }
            let selection = try ResourceSelection(QueryParameters(query: request.uri.query), includable: [])
            let connection = try await authority.createConnection(document.data.attributes, by: organization.id)
            return Self.document(
                selection.document(data: try selection.encode(connection), included: []), status: .created,
                headers: [.location: "\(Self.connectionsPath)/\(connection.id)"])
        }
        api.get("connect/connections/:id") { request, context in
            let organization = try authenticate(request)
            let connection = try await authority.connection(try connectionID(context), by: organization.id)
            return try connectionAnswer(connection, request: request)
        }
        for (action, transition) in [
            ("accept", ConnectConnectionLifecycle.Transition.accept), ("deactivate", .deactivate), ("reactivate", .reactivate),
        ] {
            api.post("connect/connections/:id/\(action)") { request, context in
                let organization = try authenticate(request)
                let connection = try await authority.changeConnection(try connectionID(context), transition, by: organization.id)
                return try connectionAnswer(connection, request: request)
            }
        }
    }

    private func connectionAnswer(_ connection: ConnectConnection, request: Request) throws -> Response {
        let selection = try ResourceSelection(QueryParameters(query: request.uri.query), includable: [])
        return Self.document(selection.document(data: try selection.encode(connection), included: []))
    }

    private func connectionID(_ context: SandboxRequestContext) throws -> ConnectionID {
        guard let raw = context.parameters.get("id"), let id = ConnectionID(rawValue: raw) else {
            throw ShareTokenFailure.notFound("connection")
        }
        return id
    }
}
