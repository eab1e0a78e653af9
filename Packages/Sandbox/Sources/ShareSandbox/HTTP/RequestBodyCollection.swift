import Hummingbird
import NIOCore

/// A request's whole body, read into memory up to a limit — the one way the sandbox's routes and
/// middlewares read a body — telling a body over the limit from one that never arrived whole.
///
/// A body declared or found larger than the limit is ``Failure/tooLarge`` (413, before the rest is
/// read). A body that ends before its declared length or last chunk — the client closed its side
/// of the connection (a half-close) or the connection broke while it was read — is
/// ``Failure/incomplete`` (400): calling it too large would send the client looking for the wrong
/// fault. Each caller answers the two in its API's error shape.
enum RequestBodyCollection {
    enum Failure: Error, Equatable {
        /// Over the limit, by its `Content-Length` or by what was read.
        case tooLarge
        /// The body stopped before its end.
        case incomplete
    }

    /// The body of `request`, at most `maximumSize` bytes.
    static func collect(_ request: Request, upTo maximumSize: Int) async throws(Failure) -> ByteBuffer {
        if let length = request.headers.value(of: .contentLength).flatMap(Int.init), length > maximumSize { throw .tooLarge }
        do {
            return try await request.body.collect(upTo: maximumSize)
        } catch is NIOTooManyBytesError {
            throw .tooLarge
        } catch {
            throw .incomplete
        }
    }

    /// What ``Failure/incomplete`` tells the client, in every error shape.
    static let incompleteReason = "the request body ended before its declared end: the client closed its side of the connection, or it broke"
}
