import HTTPTypes
import NIOHTTP1

extension HTTPRequestHead {
    /// The HTTP/1.1 head of `request`: its method, path and fields, plus `Host` when the request
    /// has none and `Content-Length` for a body of `bodyLength` bytes (or `0` for a POST, PUT or
    /// PATCH without one).
    init(_ request: HTTPRequest, authority: String, bodyLength: Int?) {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headerFields.count + 2)
        let fields = request.headerFields
        if !fields.contains(HTTPField.Name.hostField) { headers.add(name: "Host", value: authority) }
        for field in fields { headers.add(name: field.name.rawName, value: field.value) }
        if !fields.contains(.contentLength) && !fields.contains(.transferEncoding) {
            if let bodyLength {
                headers.add(name: "Content-Length", value: String(bodyLength))
            } else if request.method == .post || request.method == .put || request.method == .patch {
                headers.add(name: "Content-Length", value: "0")
            }
        }
        self.init(version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: request.path ?? "/", headers: headers)
    }
}

extension HTTPField.Name {
    /// `Host`, which HTTPTypes keeps as the request's authority but a caller may still have set.
    static let hostField = HTTPField.Name("Host")!
}

extension HTTPResponse {
    /// The response of a received HTTP/1 head; fields whose names are not valid tokens are left
    /// out.
    init(_ head: HTTPResponseHead) {
        var fields = HTTPFields()
        fields.reserveCapacity(head.headers.count)
        for (name, value) in head.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        self.init(status: .init(code: Int(head.status.code), reasonPhrase: head.status.reasonPhrase), headerFields: fields)
    }
}
