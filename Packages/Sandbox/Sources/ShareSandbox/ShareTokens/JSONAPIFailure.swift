import ShareModels

/// Why the share-token API refused a request, rendered as a JSON:API error document
/// `{"errors":[{"status","title","detail","source":{"pointer"|"parameter"}}]}`.
public struct JSONAPIFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: Int
    public var title: String
    public var detail: String
    /// A JSON pointer into the request document, e.g. `/data/attributes/expires-in-seconds`.
    public var pointer: String?
    /// A query parameter, e.g. `page[size]`.
    public var parameter: String?

    public init(status: Int, title: String, detail: String, pointer: String? = nil, parameter: String? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.parameter = parameter
    }

    /// The error document.
    public var document: JSONAPIErrorDocument {
        let source = pointer == nil && parameter == nil ? nil : JSONAPIError.Source(pointer: pointer, parameter: parameter)
        return JSONAPIErrorDocument(errors: [JSONAPIError(status: status, title: title, detail: detail, source: source)])
    }

    public var description: String { document.description }

    static func invalidAttribute(_ attribute: String, _ detail: String) -> JSONAPIFailure {
        JSONAPIFailure(status: 422, title: "Invalid attribute", detail: detail, pointer: "/data/attributes/\(attribute)")
    }

    static func invalidParameter(_ parameter: String, _ detail: String) -> JSONAPIFailure {
        JSONAPIFailure(status: 400, title: "Invalid parameter", detail: detail, parameter: parameter)
    }

    static let notFound = JSONAPIFailure(status: 404, title: "Not found", detail: "no share token with this id is visible to you")

    static let unauthorized = JSONAPIFailure(
        status: 401, title: "Unauthorized", detail: "send Authorization: Bearer <api key> of a configured organization")
}
