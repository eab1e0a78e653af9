/// A transport that holds resources (connections, a client, threads) until it is shut down.
///
/// Prefer the scoped form, which shuts the transport down however `body` ends, as
/// AsyncHTTPClient's `HTTPClient.withHTTPClient` does:
///
/// ```swift
/// let grant = try await AHCTransport.withTransport { transport in
///     let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
///     return try await client.share(user: user, with: [.fannieMae], scope: .read)
/// }
/// ```
public protocol ShuttingDownTransport: HTTPTransport {
    /// Closes every connection and releases what the transport holds; requests sent afterwards fail.
    func shutdown() async throws
}

extension ShuttingDownTransport {
    /// Runs `body` with `transport` and shuts the transport down when `body` returns or throws.
    /// A failure of `body` is rethrown in preference to one of the shutdown.
    ///
    /// - Parameters:
    ///   - transport: The transport to hand to `body` and then shut down.
    ///   - isolation: The actor `body` runs on; the caller's by default.
    ///   - body: The work to do with the transport.
    public static func withTransport<Return>(
        _ transport: Self,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Self) async throws -> Return
    ) async throws -> Return {
        let result: Return
        do {
            result = try await body(transport)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        return result
    }
}
