/// The bytes of a request or response body: either already in memory, or streamed in chunks.
///
/// Buffered bodies (the usual case for API requests and responses) can be read any number of
/// times, which is what lets ``RetryMiddleware`` send a request again. A streamed body can be read
/// once; middleware that needs to replay one must ``collect(upTo:)`` it first.
///
/// ```swift
/// let body = HTTPBody(#"{"token":"…"}"#)
/// let bytes = try await response.body?.collect(upTo: 1 << 20) ?? []
/// ```
public struct HTTPBody: Sendable, AsyncSequence {
    /// One chunk of bytes.
    public typealias Element = ArraySlice<UInt8>
    public typealias Failure = any Error

    enum Storage: Sendable {
        case buffered(ArraySlice<UInt8>)
        case streamed(@Sendable () -> @Sendable () async throws -> ArraySlice<UInt8>?)
    }

    let storage: Storage

    /// The number of bytes, when known up front (always for buffered bodies).
    public let length: Int?

    /// A body holding `bytes`.
    public init(_ bytes: some Collection<UInt8>) {
        let slice = ArraySlice(bytes)
        storage = .buffered(slice)
        length = slice.count
    }

    /// A body holding the UTF-8 bytes of `string`.
    public init(_ string: String) { self.init(Array(string.utf8)) }

    /// A body streamed from `chunks`, read at most once. Pass `length` when the total byte count is
    /// known (a `Content-Length`).
    public init<Chunks: AsyncSequence & Sendable>(streaming chunks: Chunks, length: Int? = nil)
    where Chunks.Element == ArraySlice<UInt8> {
        storage = .streamed {
            let box = IteratorBox(chunks.makeAsyncIterator())
            return { try await box.next() }
        }
        self.length = length
    }

    /// Whether the body is in memory, so that it can be read (and sent) again.
    public var isBuffered: Bool {
        if case .buffered = storage { return true }
        return false
    }

    /// The bytes of a buffered body without waiting, or `nil` for a streamed one.
    public var bufferedBytes: ArraySlice<UInt8>? {
        if case .buffered(let bytes) = storage { return bytes }
        return nil
    }

    /// Reads the whole body into memory.
    ///
    /// - Throws: ``TransportError`` with code ``TransportError/Code/bodyTooLarge`` when the body
    ///   holds more than `maximumBytes`, or whatever the underlying stream throws.
    public func collect(upTo maximumBytes: Int) async throws -> [UInt8] {
        if let length, length > maximumBytes { throw TransportError(.bodyTooLarge, detail: "\(length) bytes, limit \(maximumBytes)") }
        if case .buffered(let bytes) = storage { return Array(bytes) }
        var collected: [UInt8] = []
        if let length { collected.reserveCapacity(length) }
        for try await chunk in self {
            guard collected.count + chunk.count <= maximumBytes else {
                throw TransportError(.bodyTooLarge, detail: "more than \(maximumBytes) bytes")
            }
            collected.append(contentsOf: chunk)
        }
        return collected
    }

    /// This body read into memory (a no-op for a buffered body), so it can be read again.
    public func buffered(upTo maximumBytes: Int) async throws -> HTTPBody {
        isBuffered ? self : HTTPBody(try await collect(upTo: maximumBytes))
    }

    public func makeAsyncIterator() -> Iterator {
        switch storage {
        case .buffered(let bytes): Iterator(next: nil, pending: bytes.isEmpty ? nil : bytes)
        case .streamed(let makeNext): Iterator(next: makeNext(), pending: nil)
        }
    }

    /// Reads the chunks of an ``HTTPBody``.
    public struct Iterator: AsyncIteratorProtocol {
        let next: (@Sendable () async throws -> ArraySlice<UInt8>?)?
        var pending: ArraySlice<UInt8>?

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            if let chunk = pending {
                pending = nil
                return chunk
            }
            return try await next?()
        }
    }
}

extension HTTPBody: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

/// Lets a streamed body's single iterator be advanced from the `@Sendable` closure that
/// ``HTTPBody/Iterator`` calls. A streamed body is read by one consumer at a time, as every HTTP
/// client stack requires of its own body streams, so the iterator is never advanced concurrently.
private final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable where Base.Element == ArraySlice<UInt8> {
    private var base: Base
    init(_ base: Base) { self.base = base }
    func next() async throws -> ArraySlice<UInt8>? { try await base.next() }
}
