import Hummingbird
import NIOCore

/// Reads a response body into memory, so that a middleware can look at (and rewrite) the JSON a
/// route answered. Only used for the API's own answers, which are small documents.
final class ResponseBodyCollector {
    private var buffer = ByteBuffer()

    private struct Writer: ResponseBodyWriter {
        let collector: ResponseBodyCollector

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            collector.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    /// The bytes of `body`.
    static func bytes(of body: ResponseBody) async throws -> [UInt8] {
        let collector = ResponseBodyCollector()
        try await body.write(Writer(collector: collector))
        return Array(collector.buffer.readableBytesView)
    }
}
