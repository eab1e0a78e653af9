import AsyncHTTPClient
import NIOCore

/// Whether the upstream answers, asked at most once per ``cacheDuration`` however many clients
/// call `/readyz`: callers within that time share the last answer, and callers while a check is
/// under way wait for that check instead of starting their own. An open `/readyz` can then not be
/// used to make the gateway flood its upstream.
actor ReadinessProbe {
    /// What the upstream check found.
    enum Outcome: Sendable, Equatable {
        case ready
        case unavailable(reason: String)
    }

    /// The client the check uses.
    let client: HTTPClient
    /// The upstream's base URL, without a trailing slash.
    let baseURL: String
    /// How long the upstream has to answer.
    let timeout: TimeAmount
    /// How long an answer is reused.
    let cacheDuration: Duration

    private var last: (outcome: Outcome, at: ContinuousClock.Instant)?
    private var inFlight: Task<Outcome, Never>?
    /// Upstream checks made, for tests and for the reason this type exists.
    private(set) var checksMade = 0

    init(client: HTTPClient, baseURL: String, timeout: TimeAmount = .seconds(2), cacheDuration: Duration = .seconds(1)) {
        self.client = client
        self.baseURL = baseURL
        self.timeout = timeout
        self.cacheDuration = cacheDuration
    }

    /// The upstream's readiness, from the cache when fresh.
    func outcome() async -> Outcome {
        if let last, ContinuousClock.now - last.at < cacheDuration { return last.outcome }
        if let inFlight { return await inFlight.value }
        checksMade += 1
        let task = Task { [client, baseURL, timeout] in await Self.check(client: client, baseURL: baseURL, timeout: timeout) }
        inFlight = task
        let outcome = await task.value
        last = (outcome, ContinuousClock.now)
        inFlight = nil
        return outcome
    }

    /// Ready when the upstream answers anything at all over HTTP (its `/healthz` for the
    /// sandbox; hosted APIs answer 404 there, which still proves they are reachable).
    private static func check(client: HTTPClient, baseURL: String, timeout: TimeAmount) async -> Outcome {
        var request = HTTPClientRequest(url: baseURL + "/healthz")
        request.method = .GET
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try await response.body.collect(upTo: 64 * 1024)
            return .ready
        } catch {
            return .unavailable(reason: isTimeout(error) ? "timeout" : "unavailable")
        }
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout: return true
        default: return false
        }
    }
}
