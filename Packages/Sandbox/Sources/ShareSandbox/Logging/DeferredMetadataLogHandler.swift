import Logging

/// swift-log's `StreamLogHandler`, with the logger's own metadata formatted only when a message is
/// written: the lines are the same, the cost of setting metadata is not.
///
/// `StreamLogHandler` formats its metadata into a string each time any of it is set. Hummingbird
/// sets a request id on a copy of the logger for every request, so a server pays for sorting and
/// joining the metadata on every request even when its log level lets no message through: in the
/// sandbox's profile that was about 2 % of an introspection's CPU. This handler keeps the metadata
/// as a dictionary and hands it to the stream handler with each message, which formats it then, so
/// a request that logs nothing formats nothing. Hand-written because swift-log's only handler that
/// writes to a stream is `StreamLogHandler`, and no listed package offers one that defers it.
public struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata

    /// Writes to standard error, as `StreamLogHandler.standardError(label:)`, at `logLevel`.
    public static func standardError(label: String, logLevel: Logger.Level = .info) -> Self {
        Self(stream: StreamLogHandler.standardError(label: label), logLevel: logLevel)
    }

    /// Writes through `stream`, whose own metadata it leaves empty, at `logLevel`.
    public init(stream: StreamLogHandler, logLevel: Logger.Level = .info) {
        self.metadata = stream.metadata
        self.stream = stream
        self.stream.metadata = [:]
        self.stream.logLevel = logLevel
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The message with the logger's metadata under its own (a key the message sets wins, as with
    /// `StreamLogHandler`), formatted by the stream handler.
    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        stream.log(event: event)
    }
}
