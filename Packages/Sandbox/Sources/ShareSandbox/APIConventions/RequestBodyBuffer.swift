import Hummingbird
import NIOCore

/// The body of a request read into memory (at most the sandbox's body limit), and the request
/// with that body put back, so that middlewares can read or rewrite it before the route does.
enum RequestBodyBuffer {
    /// The bytes of `request`'s body, or a 413 failure when it is larger than `maximumSize` (a
    /// 400 when it ended early, ``RequestBodyCollection``).
    static func read(_ request: inout Request, maximumSize: Int) async throws(ShareTokenFailure) -> [UInt8] {
        let bytes = Array(try await collect(request, maximumSize: maximumSize).readableBytesView)
        replace(&request, with: bytes)
        return bytes
    }

    /// The body of `request` as ``RequestBodyCollection`` reads it, its failures in the JSON:API
    /// error shape of the share-token routes.
    static func collect(_ request: Request, maximumSize: Int) async throws(ShareTokenFailure) -> ByteBuffer {
        do {
            return try await RequestBodyCollection.collect(request, upTo: maximumSize)
        } catch {
            switch error {
            case .tooLarge:
                throw ShareTokenFailure(
                    status: 413, title: "Request body too large", detail: "the request body is larger than \(maximumSize / 1024) KiB")
            case .incomplete:
                throw ShareTokenFailure.malformedBody(RequestBodyCollection.incompleteReason)
            }
        }
    }

    /// `request` with `bytes` as its body and a `Content-Length` that matches.
    static func replace(_ request: inout Request, with bytes: [UInt8]) {
        var head = request.head
        if head.headerFields[.contentLength] != nil || !bytes.isEmpty { head.headerFields[.contentLength] = String(bytes.count) }
        request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: bytes)))
    }
}
