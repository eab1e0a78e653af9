import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareWire

/// Reads and decodes a request body, JSON or `application/x-www-form-urlencoded` alike, and
/// turns every way it can be wrong into an ``OAuthFailure`` in the sandbox's error shape.
///
/// The format comes from `Content-Type`, and only from it: a non-empty body without one is 400
/// `invalid_request`, and any type other than JSON or a form is 415. The format is never guessed
/// from the bytes, so the sandbox reads a body exactly as a proxy in front of it classified it
/// (the Plaid SDKs, authlib and `curl -d` all label their bodies). An empty body needs no type.
struct RequestBodyReader: Sendable {
    /// The largest body accepted; larger ones are 413 before they are read to the end, and one
    /// that ends early is 400 (``RequestBodyCollection``).
    let maximumSize: Int

    /// The body of `request`, decoded as `T`.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let bytes = try await read(request)
        let format = try format(of: request, body: bytes)
        return try BodyCodec.decode(type, from: bytes, format: format)
    }

    /// The body of `request`, decoded as `T`; a flat JSON object of strings is read without
    /// `JSONDecoder` (see ``FlatJSONStringObject``).
    func decode<T: FlatStringFieldsDecodable>(_ type: T.Type, from request: Request) async throws -> T {
        let bytes = try await read(request)
        let format = try format(of: request, body: bytes)
        if format == .json, let object = FlatJSONStringObject(bytes), let value = T(flatFields: object.fields) {
            return value
        }
        return try BodyCodec.decode(type, from: bytes, format: format)
    }

    /// The raw body of `request`, at most ``maximumSize`` bytes.
    func readBytes(_ request: Request) async throws -> [UInt8] { try await read(request) }

    private func read(_ request: Request) async throws -> [UInt8] {
        do {
            return Array(try await RequestBodyCollection.collect(request, upTo: maximumSize).readableBytesView)
        } catch {
            switch error {
            case .tooLarge: throw OAuthFailure.invalidRequest("the request body is larger than \(maximumSize / 1024) KiB", status: 413)
            case .incomplete: throw OAuthFailure.invalidRequest(RequestBodyCollection.incompleteReason)
            }
        }
    }

    private func format(of request: Request, body: [UInt8]) throws -> WireFormat {
        guard let contentType = request.headers.value(of: .contentType), contentType.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 })
        else {
            // An empty body decodes as an empty form, so a missing field is named as usual.
            guard body.isEmpty else {
                throw OAuthFailure.invalidRequest(
                    "the request body has no Content-Type; send application/json or application/x-www-form-urlencoded")
            }
            return .form
        }
        guard let format = WireFormat(contentType: contentType) else {
            throw OAuthFailure.invalidRequest(
                "unsupported Content-Type \"\(contentType.prefix(100))\"; send application/json or application/x-www-form-urlencoded",
                status: 415)
        }
        return format
    }
}
