public import ShareModels

// The Connections API (https://docs.withpersona.com/managing-connections).
extension ShareTokenClient {
    /// The path of the connection collection.
    public static let connectionsPath = "/api/v1/connect/connections"

    /// `GET /api/v1/connect/connections`: a page of the connections your organization is a side
    /// of, newest first, and the cursor of the next page.
    ///
    /// - Parameters:
    ///   - pageSize: At most this many connections; the server's default when `nil`.
    ///   - after: The cursor of the page to read, from the previous page.
    public func connections(pageSize: Int? = nil, after: ConnectionID? = nil) async throws(ShareClientError)
        -> (connections: [ConnectConnection], next: ConnectionID?)
    {
        let document = try await connectionPage(pageSize: pageSize, after: after)
        let next = document.links.next.flatMap { Self.value(of: "page[after]", inLink: $0) }.flatMap(ConnectionID.init(rawValue:))
        return (document.data, next)
    }

    /// `GET /api/v1/connect/connections`: one page of the connections your organization is a
    /// side of, newest first, as the API answered it: `data` and `links` (`prev` and `next`
    /// URLs, each absent when there is no such page).
    ///
    /// - Parameters:
    ///   - pageSize: At most this many connections; the server's default when `nil`.
    ///   - after: Read the page of older connections after this one (`page[after]`).
    ///   - before: Read the page of newer connections before this one (`page[before]`).
    public func connectionPage(pageSize: Int? = nil, after: ConnectionID? = nil, before: ConnectionID? = nil)
        async throws(ShareClientError) -> JSONAPIListDocument<ConnectConnection>
    {
        var query: [(String, String)] = []
        if let pageSize { query.append(("page[size]", String(pageSize))) }
        if let after { query.append(("page[after]", after.rawValue)) }
        if let before { query.append(("page[before]", before.rawValue)) }
        let path =
            Self.connectionsPath + (query.isEmpty ? "" : "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&"))
        let operation = APIOperation(
            name: "connections.list", path: path, method: .get, isIdempotent: true, errorShape: Self.errorShape, mediaType: Self.mediaType)
        return try await sender.send(operation, encodedBody: nil, as: JSONAPIListDocument<ConnectConnection>.self)
    }

    /// `GET …/connections/{id}`: the connection as your organization sees it.
    ///
    /// - Parameter id: The connection (`cxn_…`).
    public func connection(_ id: ConnectionID) async throws(ShareClientError) -> ConnectConnection {
        try await send("connections.get", "\(Self.connectionsPath)/\(id)", method: .get, idempotent: true, as: ConnectConnection.self)
    }

    /// `POST /api/v1/connect/connections`: a `pending` connection from your organization to
    /// `destinationOrganizationID`, active once that organization accepts it.
    ///
    /// - Parameter destinationOrganizationID: The organization that will redeem your share tokens.
    public func createConnection(destinationOrganizationID: OrganizationID) async throws(ShareClientError) -> ConnectConnection {
        let body = JSONAPIRequestDocument(
            type: ConnectConnection.resourceType,
            attributes: ConnectConnectionCreateAttributes(destinationOrganizationID: destinationOrganizationID))
        return try await send("connections.create", Self.connectionsPath, method: .post, idempotent: false, body: body, as: ConnectConnection.self)
    }

    /// `POST …/{id}/accept`: the destination organization accepts a `pending` connection (the
    /// sandbox's stand-in for Persona's Dashboard step).
    ///
    /// - Parameter id: The connection to accept.
    public func acceptConnection(_ id: ConnectionID) async throws(ShareClientError) -> ConnectConnection {
        try await send("connections.accept", "\(Self.connectionsPath)/\(id)/accept", method: .post, idempotent: false, as: ConnectConnection.self)
    }

    /// `POST …/{id}/deactivate`: either side ends a `pending` or `active` connection.
    ///
    /// - Parameter id: The connection to deactivate.
    public func deactivateConnection(_ id: ConnectionID) async throws(ShareClientError) -> ConnectConnection {
        try await send(
            "connections.deactivate", "\(Self.connectionsPath)/\(id)/deactivate", method: .post, idempotent: false, as: ConnectConnection.self)
    }

    /// `POST …/{id}/reactivate`: the source organization reopens an `inactive` connection; it is
    /// `pending` until the destination accepts it again.
    ///
    /// - Parameter id: The connection to reactivate.
    public func reactivateConnection(_ id: ConnectionID) async throws(ShareClientError) -> ConnectConnection {
        try await send(
            "connections.reactivate", "\(Self.connectionsPath)/\(id)/reactivate", method: .post, idempotent: false, as: ConnectConnection.self)
    }
}
