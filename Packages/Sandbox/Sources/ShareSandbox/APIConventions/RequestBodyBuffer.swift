import Hummingbird
import NIOCore

/// The body of a request read into memory (at most the sandbox's body limit), and the request
/// with that body put back, so that middlewares can read or rewrite it before the route does.
enum RequestBodyBuffer {
    /// The bytes of `request`'s body, or a 413 failure when it is larger than `maximumSize`.
    static func read(_ request: inout Request, maximumSize: Int) async throws(ShareTokenFailure) -> [UInt8] {
        let tooLarge = ShareTokenFailure(
            status: 413, title: "Request body too large", detail: "the request body is larger than \(maximumSize / 1024) KiB")
        if let length = request.headers.value(of: .contentLength).flatMap(Int.init), length > maximumSize { throw tooLarge }
        let bytes: [UInt8]
        do {
            bytes = Array(try await request.body.collect(upTo: maximumSize).readableBytesView)
        } catch {
            throw tooLarge
        }
        replace(&request, with: bytes)
        return bytes
    }

    /// `request` with `bytes` as its body and a `Content-Length` that matches.
    static func replace(_ request: inout Request, with bytes: [UInt8]) {
        var head = request.head
        if head.headerFields[.contentLength] != nil || !bytes.isEmpty { head.headerFields[.contentLength] = String(bytes.count) }
        request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: bytes)))
    }
}
