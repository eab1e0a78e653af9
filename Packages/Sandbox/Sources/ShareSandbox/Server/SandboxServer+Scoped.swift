extension SandboxServer {
    /// Runs a sandbox in this process for the duration of `body`, then shuts it down, whether
    /// `body` returns or throws. Use port `0` for a free port; ``RunningSandbox/url`` says which.
    ///
    /// ```swift
    /// try await SandboxServer.withRunningSandbox(configuration: .init(port: 0, partners: partners)) { sandbox in
    ///     let client = OAuthClient(environment: .custom(URL(string: sandbox.url)!), credentials: demo, transport: transport)
    ///     print(try await client.clientCredentials().expiresIn)   // 900
    /// }
    /// ```
    ///
    /// A failure of `body` is rethrown in preference to one of the shutdown.
    ///
    /// - Parameters:
    ///   - configuration: The sandbox to run.
    ///   - isolation: The actor `body` runs on; the caller's by default.
    ///   - body: The work to do while the sandbox serves.
    public static func withRunningSandbox<Return>(
        configuration: SandboxConfiguration,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RunningSandbox) async throws -> Return
    ) async throws -> Return {
        let sandbox = try await start(configuration: configuration)
        let result: Return
        do {
            result = try await body(sandbox)
        } catch {
            try? await sandbox.shutdown()
            throw error
        }
        try await sandbox.shutdown()
        return result
    }
}
