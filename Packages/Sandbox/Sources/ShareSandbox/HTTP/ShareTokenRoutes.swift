import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareModels
import ShareWire

/// The share-token API under `/api/v1`: JSON:API documents with kebab-case keys (or as
/// `Key-Inflection` asks), organizations authenticated by `Authorization: Bearer <api key>`,
/// every error a JSON:API `errors` document, and Persona's conventions (``APIConventions``).
///
/// - `POST /api/v1/connect/share-tokens`, `GET /api/v1/connect/share-tokens`,
///   `GET …/{id}`, `POST …/{id}/redeem`, `POST …/{id}/expire`
/// - `GET /api/v1/events`, `GET /api/v1/events/{id}`, `GET /api/v1/workflow-runs`
/// - `GET /api/v1/inquiries/{id}` (also `transactions`, `accounts`, `verifications`), `POST /api/v1/inquiries/{id}/complete`
/// - the Connections API (`ShareTokenRoutes+Connections.swift`)
///
/// Share-token answers honour `include` and `fields[…]` (`ResourceSelection`).
struct ShareTokenRoutes: Sendable {
    let authority: ShareTokenAuthority
    let maximumBodySize: Int
    let realm: String
    /// Rate limit, `Persona-Version`, key inflection and idempotency.
    let conventions: APIConventions

    static let shareTokensPath = "/api/v1/connect/share-tokens"

    /// The relationship paths of a share token that `include` may name
    /// (<https://docs.withpersona.com/api-reference/connect/share-tokens/retrieve-a-share-token>).
    static let shareTokenIncludes = ["connection", "creator", "source", "destination"]

    /// The fixed paths these routes serve and their methods, to answer 405 rather than 404.
    static let paths: [String: [HTTPRequest.Method]] = [
        shareTokensPath: [.get, .post], "/api/v1/events": [.get], "/api/v1/workflow-runs": [.get],
        connectionsPath: [.get, .post],
    ]

    func add(to router: Router<SandboxRequestContext>) {
        let api = conventions.apply(to: router.group("api/v1")).add(middleware: JSONAPIErrorMiddleware(realm: realm))
        api.post("connect/share-tokens") { request, context in try await create(request, context: context) }
        api.get("connect/share-tokens") { request, context in try await list(request, context: context) }
        api.get("connect/share-tokens/:id") { request, context in
            let organization = try authenticate(request)
            let token = try await authority.shareToken(try shareTokenID(context), by: organization.id)
            return try await shareTokenAnswer([token], one: true, request: request, organization: organization.id)
        }
        api.post("connect/share-tokens/:id/redeem") { request, context in try await redeem(request, context: context) }
        api.post("connect/share-tokens/:id/expire") { request, context in
            let organization = try authenticate(request)
            let token = try await authority.expire(try shareTokenID(context), by: organization.id)
            return try await shareTokenAnswer([token], one: true, request: request, organization: organization.id)
        }
        api.get("events") { request, _ in try await events(request) }
        api.get("events/:id") { request, context in
            let organization = try authenticate(request)
            guard let raw = context.parameters.get("id"), let id = EventID(rawValue: raw) else { throw ShareTokenFailure.notFound("event") }
            let event = try await authority.event(id, by: organization.id)
            return Self.rawDocument(Array(#"{"data":"#.utf8) + event.resource + [UInt8(ascii: "}")])
        }
        api.get("workflow-runs") { request, _ in try await workflowRuns(request) }
        addConnections(to: api)
        let collections = [
            ("inquiries", SourceID.Kind.inquiry), ("transactions", .transaction), ("accounts", .account), ("verifications", .verification),
        ]
        for (collection, kind) in collections {
            api.get("\(collection)/:id") { request, context in
                let organization = try authenticate(request)
                let record = try await authority.record(try recordID(context, kind: kind), by: organization.id)
                return Self.document(JSONAPIDocumentOf(data: RecordResource(record)))
            }
        }
        api.post("inquiries/:id/complete") { request, context in
            let organization = try authenticate(request)
            let record = try await authority.completeInquiry(try recordID(context, kind: .inquiry), by: organization.id)
            return Self.document(JSONAPIDocumentOf(data: RecordResource(record)))
        }
    }

    // MARK: Handlers

    private func create(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let organization = try authenticate(request)
        let bytes = try await body(of: request)
        guard !bytes.isEmpty else {
            throw ShareTokenFailure.malformedBody("send {\"data\":{\"attributes\":{\"connection-id\",\"source-id\"}}}", pointer: "/data")
        }
        try refuseNulls(in: bytes, attributes: ["connection-id", "source-id", "expires-in-seconds"])
        let document = try decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: bytes)
        if let type = document.data.type, type != ShareToken.resourceType {
            throw ShareTokenFailure(
                status: 409, title: "Wrong resource type", detail: "data.type must be \"\(ShareToken.resourceType)\"",
                source: .init(pointer: "/data/type"))
        }
        let selection = try ResourceSelection(QueryParameters(query: request.uri.query), includable: Self.shareTokenIncludes)
        let token = try await authority.create(document.data.attributes, by: organization.id)
        return try await shareTokenAnswer(
            [token], one: true, selection: selection, organization: organization.id, status: .created,
            headers: [.location: "\(Self.shareTokensPath)/\(token.id)"])
    }

    private func redeem(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let organization = try authenticate(request)
        let id = try shareTokenID(context)
        let bytes = try await body(of: request)
        var attributes = ShareTokenRedeemAttributes()
        if !bytes.isEmpty {
            try refuseNulls(in: bytes, attributes: ["destination-id"])
            attributes = try decode(OptionalRedeemDocument.self, from: bytes).data?.attributes ?? attributes
        }
        let selection = try ResourceSelection(QueryParameters(query: request.uri.query), includable: Self.shareTokenIncludes)
        let token = try await authority.redeem(id, attributes, by: organization.id)
        return try await shareTokenAnswer([token], one: true, selection: selection, organization: organization.id)
    }

    private func list(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let organization = try authenticate(request)
        let parameters = QueryParameters(query: request.uri.query)
        let selection = try ResourceSelection(parameters, includable: Self.shareTokenIncludes)
        let pager = try CursorPager<ShareTokenID>(parameters, parse: ShareTokenID.init(rawValue:), kind: "share token")
        var query = ShareTokenQuery(limit: pager.size)
        var echoed: [(String, String)] = []
        if let (name, value) = parameters.value("filter[connection-id]", "connection-id") {
            guard let id = ConnectionID(rawValue: value) else { throw ShareTokenFailure.invalidParameter(name, "\(name) must be a connection id (cxn_…)") }
            query.connectionID = id
            echoed.append(("filter[connection-id]", value))
        }
        if let (name, value) = parameters.value("filter[status]", "status") {
            guard let status = ShareTokenStatus(rawValue: value) else {
                throw ShareTokenFailure.invalidParameter(
                    name, "\(name) must be one of " + ShareTokenStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query.status = status
            echoed.append(("filter[status]", value))
        }
        if let (name, value) = parameters.value("filter[direction]", "direction") {
            guard let direction = ShareTokenDirection(rawValue: value) else {
                throw ShareTokenFailure.invalidParameter(name, "\(name) must be outbound or inbound")
            }
            query.direction = direction
            echoed.append(("filter[direction]", value))
        }
        let page = try await pager.page(id: \ShareToken.id, kind: "share token") { after, limit in
            var probe = query
            probe.after = after
            probe.limit = limit
            return try await authority.list(probe, by: organization.id).tokens
        }
        let links = PageLinks(request: request, path: Self.shareTokensPath, filters: echoed).links(page, size: pager.size)
        return try await shareTokenAnswer(page.items, one: false, selection: selection, organization: organization.id, links: Self.linksObject(links))
    }

    private func events(_ request: Request) async throws -> Response {
        let organization = try authenticate(request)
        let pager = try CursorPager<EventID>(QueryParameters(query: request.uri.query), parse: EventID.init(rawValue:), kind: "event")
        let page = try await pager.page(id: \StoredEvent.id, kind: "event") { after, limit in
            try await authority.events(of: organization.id, after: after, limit: limit).events
        }
        let events = page.items
        // Events are stored as the exact JSON that is delivered; the listing splices them in.
        var bytes = Array(#"{"data":["#.utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: event.resource)
        }
        bytes.append(contentsOf: Array(#"],"links":"#.utf8))
        let links = PageLinks(request: request, path: "/api/v1/events").links(page, size: pager.size)
        bytes.append(contentsOf: try WireJSON.encode(links))
        bytes.append(UInt8(ascii: "}"))
        return Self.rawDocument(bytes)
    }

    private func workflowRuns(_ request: Request) async throws -> Response {
        let organization = try authenticate(request)
        let pager = try CursorPager<WorkflowRunID>(
            QueryParameters(query: request.uri.query), parse: WorkflowRunID.init(rawValue:), kind: "workflow run")
        let page = try await pager.page(id: \StoredWorkflowRun.id, kind: "workflow run") { after, limit in
            try await authority.workflowRuns(of: organization.id, after: after, limit: limit).runs
        }
        let links = PageLinks(request: request, path: "/api/v1/workflow-runs").links(page, size: pager.size)
        return Self.document(RunList(data: page.items.map(WorkflowRunResource.init), links: links))
    }

    private struct RunList: Encodable {
        var data: [WorkflowRunResource]
        var links: JSONAPIListDocument<ShareToken>.Links
    }

    /// The media type of JSON:API answers.
    static let mediaType = "application/vnd.api+json"

    /// A JSON:API answer whose body is already written.
    static func rawDocument(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: mediaType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON:API answer: `value` as JSON, `Content-Type: application/vnd.api+json`.
    static func document(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var response = JSONResponse.make(value, status: status, headers: headers)
        response.headers[.contentType] = mediaType
        return response
    }

    /// A share-token answer: `tokens` (one resource when `one`, else a list) with the fieldsets
    /// and included resources the query asks for.
    private func shareTokenAnswer(
        _ tokens: [ShareToken], one: Bool, request: Request, organization: OrganizationID
    ) async throws -> Response {
        let selection = try ResourceSelection(QueryParameters(query: request.uri.query), includable: Self.shareTokenIncludes)
        return try await shareTokenAnswer(tokens, one: one, selection: selection, organization: organization)
    }

    private func shareTokenAnswer(
        _ tokens: [ShareToken], one: Bool, selection: ResourceSelection, organization: OrganizationID, status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:], links: JSONValue? = nil
    ) async throws -> Response {
        var data: [JSONValue] = []
        var included: [JSONValue] = []
        for token in tokens {
            data.append(try selection.encode(token))
            for resource in try await authority.related(token, paths: selection.include, by: organization) {
                included.append(try selection.encode(resource))
            }
        }
        let primary: JSONValue = one ? (data.first ?? .null) : .array(data)
        return Self.document(selection.document(data: primary, included: included, links: links), status: status, headers: headers)
    }

    // MARK: Reading requests

    func authenticate(_ request: Request) throws -> ShareTokenDirectory.Organization {
        try authority.authenticate(authorization: request.headers.value(of: .authorization))
    }

    private func shareTokenID(_ context: SandboxRequestContext) throws -> ShareTokenID {
        guard let raw = context.parameters.get("id"), let id = ShareTokenID(rawValue: raw) else {
            throw ShareTokenFailure.notFound("share token")
        }
        return id
    }

    private func recordID(_ context: SandboxRequestContext, kind: SourceID.Kind) throws -> SourceID {
        guard let raw = context.parameters.get("id"), let id = SourceID(rawValue: raw), id.kind == kind else {
            throw ShareTokenFailure.notFound(kind.resourceType)
        }
        return id
    }

    /// `links` as the JSON object a selected document carries: `prev` and `next` when present.
    static func linksObject(_ links: JSONAPIListDocument<ShareToken>.Links) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if let prev = links.prev { object["prev"] = .string(prev) }
        if let next = links.next { object["next"] = .string(next) }
        return .object(object)
    }

    /// The body, at most ``maximumBodySize`` bytes, of a request whose `Content-Type` is JSON
    /// (`application/json`, `application/vnd.api+json`). A non-empty body without a
    /// `Content-Type` is 415 like any other type: its format is never guessed from its bytes.
    func body(of request: Request) async throws -> [UInt8] {
        let unsupported = ShareTokenFailure(
            status: 415, title: "Unsupported media type", detail: "send the body as application/vnd.api+json or application/json")
        let mediaType = request.headers.value(of: .contentType).map { contentType in
            contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        } ?? ""
        let isJSON = mediaType == "application/json" || mediaType == "application/vnd.api+json"
        if !isJSON && !mediaType.isEmpty { throw unsupported }
        let bytes = Array(try await RequestBodyBuffer.collect(request, maximumSize: maximumBodySize).readableBytesView)
        if !isJSON && !bytes.isEmpty { throw unsupported }
        return bytes
    }

    /// Refuses an explicit `null` for `data.type` or one of `attributes`: in this API `null` is
    /// not a way of leaving a value out (`"expires-in-seconds": null` must not mean 14 days).
    func refuseNulls(in bytes: [UInt8], attributes names: [String]) throws {
        guard let data = (try? WireJSON.decode(NullProbe.self, from: bytes))?.data else { return }
        if data["type"] == .null {
            throw ShareTokenFailure.malformedBody("data.type must be a string, not null", pointer: "/data/type")
        }
        guard case .object(let attributes) = data["attributes"] else { return }
        for name in names where attributes[name] == .null {
            throw ShareTokenFailure.invalidAttribute(ShareTokenFailure.pointer(name), "\(name) must not be null")
        }
    }

    /// `bytes` decoded as `T`, or a failure naming the field at fault by its JSON pointer.
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            return try WireJSON.decode(type, from: bytes)
        } catch {
            guard !error.codingPath.isEmpty else { throw ShareTokenFailure.malformedBody("the request body: \(error.reason)") }
            let pointer = "/" + error.codingPath.joined(separator: "/")
            if error.codingPath.count > 2 && error.codingPath.starts(with: ["data", "attributes"]) {
                throw ShareTokenFailure.invalidAttribute(pointer, "\(error.codingPath.last ?? ""): \(error.reason)")
            }
            throw ShareTokenFailure.malformedBody("\(error.codingPath.joined(separator: ".")): \(error.reason)", pointer: pointer)
        }
    }
}

/// A redemption body, every part optional: `{}`, `{"data":{}}` and `{"data":{"attributes":{}}}`
/// all redeem into a new record.
private struct OptionalRedeemDocument: Decodable {
    struct Data: Decodable {
        var attributes: ShareTokenRedeemAttributes?
    }

    var data: Data?
}

/// A request document's `data` as raw values, to tell an explicit `null` from an absent key.
private struct NullProbe: Decodable {
    var data: [String: AttributeValue]?
}
