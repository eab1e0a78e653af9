import Hummingbird

/// The conventions every route of the share-token API follows, as middlewares of its
/// `/api/v1` group, outermost first: the per-key rate limit (``RateLimitMiddleware``), the
/// `Persona-Version` header (``PersonaVersionMiddleware``), key inflection
/// (``KeyInflectionMiddleware``) and `Idempotency-Key` (``IdempotencyMiddleware``). The
/// `Request-Id` of every answer is added for the whole router (``RequestIDMiddleware``).
struct APIConventions: Sendable {
    let authority: ShareTokenAuthority
    let rateLimiter: APIRateLimiter
    let idempotency: any IdempotencyStore
    let gate = IdempotencyGate()
    let clock: SandboxClock
    let maximumBodySize: Int

    init(services: SandboxServices) {
        authority = services.shareTokens
        rateLimiter = services.rateLimiter
        idempotency = services.idempotency
        clock = services.configuration.clock
        maximumBodySize = services.configuration.maximumBodySize
    }

    /// `group` with the conventions' middlewares added.
    func apply(to group: RouterGroup<SandboxRequestContext>) -> RouterGroup<SandboxRequestContext> {
        group
            .add(middleware: RateLimitMiddleware(authority: authority, limiter: rateLimiter))
            .add(middleware: PersonaVersionMiddleware(authority: authority))
            .add(middleware: KeyInflectionMiddleware(authority: authority, maximumBodySize: maximumBodySize))
            .add(
                middleware: IdempotencyMiddleware(
                    authority: authority, store: idempotency, gate: gate, clock: clock, maximumBodySize: maximumBodySize))
    }
}
