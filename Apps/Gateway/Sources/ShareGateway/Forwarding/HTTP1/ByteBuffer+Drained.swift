import NIOCore

extension ByteBuffer {
    /// An empty buffer to hold in place of one whose bytes have all been handled: it keeps no
    /// reference to the storage NIO read into, so NIO's pooled receive buffer can be reused for
    /// the next read instead of a new one being allocated.
    static let drained = ByteBuffer()
}
