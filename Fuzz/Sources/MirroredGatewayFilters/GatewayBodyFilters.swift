import NIOCore

/// The gateway's body credential filters (``JSONCredentialFilter``, ``FormCredentialFilter``,
/// internal to ShareGateway and compiled here from the same files) behind a public face for the
/// fuzz harness.
public enum GatewayBodyFilters {
    /// The JSON body the gateway would forward, or `nil` when it refuses the body.
    public static func filterJSON(_ bytes: [UInt8]) -> [UInt8]? {
        guard let inspected = try? JSONCredentialFilter().inspect(ByteBuffer(bytes: bytes)) else { return nil }
        return Array(buffer: inspected.body)
    }

    /// The form body the gateway would forward, or `nil` when it refuses the body.
    public static func filterForm(_ bytes: [UInt8]) -> [UInt8]? {
        guard let inspected = try? FormCredentialFilter().inspect(ByteBuffer(bytes: bytes)) else { return nil }
        return Array(buffer: inspected.body)
    }
}
