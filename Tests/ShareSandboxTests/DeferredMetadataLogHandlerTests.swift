import Logging
import NIOConcurrencyHelpers
import Testing

import ShareSandbox

@Suite("DeferredMetadataLogHandler: StreamLogHandler's lines, metadata formatted only when written")
struct DeferredMetadataLogHandlerTests {
    /// Collects what a stream handler writes.
    final class Lines: TextOutputStream, Sendable {
        private let written = NIOLockedValueBox<[String]>([])
        var all: [String] { written.withLockedValue { $0 } }
        func write(_ string: String) { written.withLockedValue { $0.append(string) } }
    }

    struct Failure: Error {}

    /// A line without its leading timestamp, which differs from one write to the next.
    static func withoutTimestamp(_ line: String) -> Substring {
        line.drop { $0 != " " }
    }

    /// The same messages through both handlers: the same lines, timestamps aside.
    static func bothWrite(
        provider: Logger.MetadataProvider? = nil, _ use: (inout Logger) -> Void
    ) -> (stream: [Substring], deferred: [Substring]) {
        let streamLines = Lines()
        let deferredLines = Lines()
        var streamLogger = Logger(label: "test") { label in
            StreamLogHandler(label: label, stream: streamLines, metadataProvider: provider)
        }
        var deferredLogger = Logger(label: "test") { label in
            DeferredMetadataLogHandler(
                stream: StreamLogHandler(label: label, stream: deferredLines, metadataProvider: provider))
        }
        use(&streamLogger)
        use(&deferredLogger)
        return (streamLines.all.map(withoutTimestamp), deferredLines.all.map(withoutTimestamp))
    }

    @Test("a logger's metadata, a message's own and a key both set (the message's wins) read as StreamLogHandler writes them")
    func sameLines() {
        let (stream, deferred) = Self.bothWrite { logger in
            logger.info("no metadata")
            logger[metadataKey: "request.id"] = "r1"
            logger[metadataKey: "a.first"] = "1"
            logger.notice("logger metadata")
            logger.warning("both", metadata: ["z.last": "9", "request.id": "r2"])
            logger[metadataKey: "a.first"] = nil
            logger.error("one key removed", error: Failure())
        }
        #expect(stream.count == 4)
        #expect(deferred == stream)
        #expect(deferred[2].contains("request.id=r2"))
        #expect(!deferred[2].contains("request.id=r1"))
    }

    @Test("a metadata provider's values are written, as StreamLogHandler writes them")
    func provider() {
        let provider = Logger.MetadataProvider { ["provided": "yes"] }
        let (stream, deferred) = Self.bothWrite(provider: provider) { logger in
            logger[metadataKey: "own"] = "1"
            logger.info("with a provider")
        }
        #expect(deferred == stream)
        #expect(deferred.first?.contains("provided=yes") == true)
    }

    @Test("the log level is the handler's, and a message below it is not written")
    func logLevel() {
        let lines = Lines()
        var logger = Logger(label: "test") { label in
            DeferredMetadataLogHandler(stream: StreamLogHandler(label: label, stream: lines), logLevel: .warning)
        }
        logger[metadataKey: "request.id"] = "r1"
        logger.info("filtered")
        logger.warning("written")
        #expect(logger.logLevel == .warning)
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("request.id=r1 [ShareSandboxTests] written") == true)
    }

    @Test("metadata set on one copy of a logger is not seen by another")
    func valueSemantics() {
        let lines = Lines()
        let base = Logger(label: "test") { label in
            DeferredMetadataLogHandler(stream: StreamLogHandler(label: label, stream: lines))
        }
        var copy = base
        copy[metadataKey: "request.id"] = "r1"
        base.info("base")
        copy.info("copy")
        #expect(base[metadataKey: "request.id"] == nil)
        #expect(lines.all.map(Self.withoutTimestamp).map { $0.contains("request.id") } == [false, true])
    }
}
