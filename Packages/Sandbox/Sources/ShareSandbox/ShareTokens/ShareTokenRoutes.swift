import Foundation
import HTTPTypes
import Hummingbird
import ShareModels
import ShareWire

/// `/api/v1/connect/share-tokens…` and `/api/v1/events`: JSON:API documents with kebab-case
/// keys, organizations authenticated by `Authorization: Bearer <api key>`.
struct ShareTokenRoutes: Sendable {
    let service: ShareTokenService
    let bodyReader: RequestBodyReader

    static let collection = "/api/v1/connect/share-tokens"
    static let paths: [String: [HTTPRequest.Method]] = [collection: [.get, .post], "/api/v1/events": [.get]]

    func add(to router: Router<SandboxRequestContext>) {
        router.post(RouterPath(Self.collection)) { request, _ in try await create(request) }
        router.get(RouterPath(Self.collection)) { request, _ in try await list(request) }
        router.get(RouterPath(Self.collection + "/:id")) { request, context in
            let organization = try service.authenticate(authorization: request.headers[.authorization])
            return try document(try await service.get(try context.parameters.require("id"), by: organization))
        }
        router.post(RouterPath(Self.collection + "/:id/redeem")) { request, context in
            let organization = try service.authenticate(authorization: request.headers[.authorization])
            let attributes = try await redeemAttributes(request)
            return try document(try await service.redeem(try context.parameters.require("id"), attributes, by: organization))
        }
        router.post(RouterPath(Self.collection + "/:id/expire")) { request, context in
            let organization = try service.authenticate(authorization: request.headers[.authorization])
            return try document(try await service.expire(try context.parameters.require("id"), by: organization))
        }
        router.get("/api/v1/events") { request, _ in try await events(request) }
    }

    private func create(_ request: Request) async throws -> Response {
        let organization = try service.authenticate(authorization: request.headers[.authorization])
        let body: JSONAPIRequestDocument<ShareTokenCreateAttributes> = try await decode(request)
        if let type = body.data.type, type != ShareToken.resourceType {
            throw JSONAPIFailure(
                status: 409, title: "Wrong type", detail: "data.type must be \(ShareToken.resourceType)", pointer: "/data/type")
        }
        return try document(try await service.create(body.data.attributes, by: organization), status: .created)
    }

    private func redeemAttributes(_ request: Request) async throws -> ShareTokenRedeemAttributes {
        if request.headers[.contentLength] == "0" { return ShareTokenRedeemAttributes() }
        let bytes = try await bodyReader.readBytes(request)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return ShareTokenRedeemAttributes() }
        let body: RedeemBody = try Self.decodeJSON(bytes)
        return body.data?.attributes ?? ShareTokenRedeemAttributes()
    }

    /// A redeem body, where `data` and `attributes` may both be absent.
    private struct RedeemBody: Decodable {
        struct Data: Decodable { var attributes: ShareTokenRedeemAttributes? }
        var data: Data?
    }

    private func list(_ request: Request) async throws -> Response {
        let organization = try service.authenticate(authorization: request.headers[.authorization])
        let parameters = Self.query(request)
        func parameter(_ name: String) -> String? { parameters["filter[\(name)]"] ?? parameters[name] }
        var query = ShareTokenQuery(organization: organization.id.rawValue, limit: try pageSize(parameters), now: 0)
        query.after = parameters["page[after]"]
        query.connectionID = parameter("connection-id")
        if let status = parameter("status") {
            guard let value = ShareTokenStatus(rawValue: status) else {
                throw JSONAPIFailure.invalidParameter(
                    "filter[status]", "status must be one of " + ShareTokenStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query.status = value
        }
        if let direction = parameter("direction") {
            guard let value = ShareTokenDirection(rawValue: direction) else {
                throw JSONAPIFailure.invalidParameter("filter[direction]", "direction must be outbound or inbound")
            }
            query.direction = value
        }
        let (tokens, next) = try await service.list(query, by: organization)
        var links = JSONAPIListDocument<ShareToken>.Links()
        if let next {
            var items = ["page[size]=\(query.limit)", "page[after]=\(next)"]
            if let connection = query.connectionID { items.append("filter[connection-id]=\(connection)") }
            if let status = query.status { items.append("filter[status]=\(status.rawValue)") }
            if let direction = query.direction { items.append("filter[direction]=\(direction.rawValue)") }
            links.next = Self.collection + "?" + items.joined(separator: "&")
        }
        return try Self.json(JSONAPIListDocument(data: tokens, links: links))
    }

    private func events(_ request: Request) async throws -> Response {
        let organization = try service.authenticate(authorization: request.headers[.authorization])
        let parameters = Self.query(request)
        let limit = try pageSize(parameters)
        let (events, next) = try await service.events(after: parameters["page[after]"], limit: limit, by: organization)
        let links = JSONAPIListDocument<ShareTokenEvent>.Links(next: next.map { "/api/v1/events?page[size]=\(limit)&page[after]=\($0)" })
        return try Self.json(JSONAPIListDocument(data: events, links: links))
    }

    /// The query parameters with names and values percent-decoded (`page%5Bsize%5D` is
    /// `page[size]`); the last of repeated names wins.
    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            func decoded(_ text: Substring) -> String {
                let plain = text.replacingOccurrences(of: "+", with: " ")
                return plain.removingPercentEncoding ?? plain
            }
            result[decoded(name)] = decoded(value)
        }
        return result
    }

    private func pageSize(_ parameters: [String: String]) throws -> Int {
        guard let text = parameters["page[size]"] else { return ShareTokenService.defaultPageSize }
        guard let size = Int(text), (1...ShareTokenService.maximumPageSize).contains(size) else {
            throw JSONAPIFailure.invalidParameter("page[size]", "page[size] must be an integer from 1 to \(ShareTokenService.maximumPageSize)")
        }
        return size
    }

    private func decode<T: Decodable>(_ request: Request) async throws -> T {
        try Self.decodeJSON(try await bodyReader.readBytes(request))
    }

    static func decodeJSON<T: Decodable>(_ bytes: [UInt8]) throws -> T {
        do {
            return try WireJSON.decode(T.self, from: bytes)
        } catch {
            let pointer = error.codingPath.isEmpty ? nil : "/" + error.codingPath.joined(separator: "/")
            let status = pointer?.hasPrefix("/data/attributes/") == true ? 422 : 400
            throw JSONAPIFailure(
                status: status, title: status == 422 ? "Invalid attribute" : "Invalid document", detail: error.description, pointer: pointer)
        }
    }

    private func document(_ token: ShareToken, status: HTTPResponse.Status = .ok) throws -> Response {
        try Self.json(JSONAPIDocument(data: token), status: status)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/vnd.api+json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try WireJSON.encode(value))))
    }
}
