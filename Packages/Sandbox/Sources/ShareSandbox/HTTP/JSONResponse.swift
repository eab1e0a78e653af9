import HTTPTypes
import Hummingbird
import ShareWire

/// Builds the sandbox's JSON answers: `application/json`, keys in a stable order, absent
/// optionals omitted (never `null`), integers as JSON integers.
///
/// The busiest answers (``DirectJSONEncodable``) are written by ``JSONObjectWriter``; the rest
/// go through `WireJSON`. Both produce the same bytes for the same value.
enum JSONResponse {
    static func make(_ value: some DirectJSONEncodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var writer = JSONObjectWriter()
        value.writeJSON(to: &writer)
        var fields = headers
        if fields.value(of: .contentType) == nil { fields.append(HTTPField(name: .contentType, value: "application/json")) }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: writer.finish()))
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        guard let bytes = try? WireJSON.encode(value) else {
            // Only the sandbox's own value types are encoded, and they always encode; answer
            // in the error shape rather than crash if that ever changes.
            fields[.contentType] = "application/json"
            let body = #"{"error":"server_error","error_description":"the answer could not be encoded"}"#
            return Response(status: .internalServerError, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The answer for `failure`, with `WWW-Authenticate` when a Basic client failed to
    /// authenticate and `Cache-Control: no-store` as RFC 6749 §5.2 asks.
    static func failure(_ failure: OAuthFailure, requestID: String, realm: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.cacheControl] = "no-store"
        if failure.status == 401 && failure.challengesBasic {
            headers[.wwwAuthenticate] = "Basic realm=\"\(realm)\", charset=\"UTF-8\""
        }
        return make(
            OAuthErrorBody(error: failure.code.rawValue, errorDescription: failure.reason, requestID: requestID),
            status: HTTPResponse.Status(code: failure.status),
            headers: headers
        )
    }
}
