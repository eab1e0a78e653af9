import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import ShareCore
import ShareModels
import ShareWire

/// The control plane under `/sandbox/` (Plaid's convention for sandbox-only calls), for tests
/// that drive the sandbox:
///
/// - `GET /sandbox/clock`, `POST /sandbox/clock/advance` `{"seconds": N}`, `POST /sandbox/clock/reset`
/// - `POST /sandbox/faults`, `GET /sandbox/faults`, `DELETE /sandbox/faults/{id}`, `DELETE /sandbox/faults`
/// - `POST /sandbox/events/{id}/redeliver`, `POST /sandbox/webhooks/test` `{"organization", "name"}`
/// - `POST /sandbox/reset`
///
/// Every call needs the credentials of a registered client (HTTP Basic or `PLAID-CLIENT-ID` and
/// `PLAID-SECRET`) or an organization's API key (`Authorization: Bearer`); every error is Plaid's
/// error object, as on `/user/create`.
struct SandboxControlRoutes: Sendable {
    let services: SandboxServices
    let bodyReader: RequestBodyReader

    /// The most faults in force at once.
    static let maximumFaults = 1000

    /// The fixed paths these routes serve and their methods, to answer 405 rather than 404.
    static let paths: [String: [HTTPRequest.Method]] = [
        "/sandbox/clock": [.get], "/sandbox/clock/advance": [.post], "/sandbox/clock/reset": [.post],
        "/sandbox/faults": [.get, .post, .delete], "/sandbox/reset": [.post], "/sandbox/webhooks/test": [.post],
    ]

    /// Whether `path` belongs to the control plane (and is therefore never faulted).
    static func isControlPath(_ path: String) -> Bool { path == "/sandbox" || path.hasPrefix("/sandbox/") }

    private var timeline: SandboxTimeline { services.control.timeline }

    func add(to router: Router<SandboxRequestContext>) {
        let group = router.group("sandbox")
        group.get("clock") { request, _ in
            try await authorize(request)
            // The stored clock, which another sandbox sharing the store may have moved just now.
            try await services.control.readClock()
            return JSONResponse.make(SandboxClockAnswer(timeline))
        }
        group.post("clock/advance") { request, _ in
            try await authorize(request)
            let body = try await object(of: request, allowed: ["seconds"])
            guard let value = body["seconds"], value != .null else { throw PlaidFailure.missingFields(["seconds"]) }
            guard case .integer(let seconds) = value, (1...SandboxTimeline.maximumOffsetSeconds).contains(seconds) else {
                throw PlaidFailure.invalidField(
                    "seconds must be a whole number of seconds from 1 to \(SandboxTimeline.maximumOffsetSeconds); "
                        + "the sandbox's time only moves forward")
            }
            guard let offset = try await services.advanceClock(by: seconds) else {
                throw PlaidFailure.invalidField(
                    "the sandbox's clock cannot run more than \(SandboxTimeline.maximumOffsetSeconds) seconds (100 years) "
                        + "ahead of the configured clock; it is \(timeline.offsetSeconds) seconds ahead")
            }
            // The offset this advance produced, even when a concurrent one already moved past it.
            return JSONResponse.make(SandboxClockAnswer(timeline, offsetSeconds: offset))
        }
        group.post("clock/reset") { request, _ in
            try await authorize(request)
            try await services.resetClock()
            return JSONResponse.make(SandboxClockAnswer(timeline))
        }
        group.post("faults") { request, _ in
            try await authorize(request)
            let body = try await object(of: request, allowed: nil)
            let fault = try SandboxFault(validating: body, id: "flt_" + RandomToken.alphanumeric(length: 24))
            guard try await services.control.add(fault, maximumCount: Self.maximumFaults) else {
                throw PlaidFailure(
                    errorType: "INVALID_REQUEST", errorCode: "TOO_MANY_FAULTS",
                    message: "at most \(Self.maximumFaults) faults can be in force; delete some first", status: 409)
            }
            return JSONResponse.make(fault, status: .created, headers: [.location: "/sandbox/faults/\(fault.id)"])
        }
        group.get("faults") { request, _ in
            try await authorize(request)
            return JSONResponse.make(SandboxFaultList(faults: try await services.control.faults()))
        }
        group.delete("faults") { request, _ in
            try await authorize(request)
            return JSONResponse.make(SandboxFaultRemoval(removed: try await services.control.removeAllFaults()))
        }
        group.delete("faults/:id") { request, context in
            try await authorize(request)
            guard let id = context.parameters.get("id"), let removed = try await services.control.removeFault(id: id) else {
                throw Self.notFound("no fault with this id is in force (it may have run out)")
            }
            return JSONResponse.make(removed)
        }
        group.post("events/:id/redeliver") { request, context in
            try await authorize(request)
            guard let raw = context.parameters.get("id"), let id = EventID(rawValue: raw), let event = try await services.store.event(id: id)
            else { throw Self.notFound("no event with this id exists in the sandbox") }
            let (url, secrets) = try webhook(of: event.organization)
            let outcome = await send(event.webhookBody, to: url, secrets: secrets)
            if outcome.delivered, event.delivery.state != .delivered {
                try await services.store.updateDelivery(
                    of: event.id, to: StoredEvent.Delivery(state: .delivered, attempts: event.delivery.attempts + 1))
            }
            return JSONResponse.make(WebhookSendAnswer(event: event, url: url, outcome: outcome))
        }
        group.post("webhooks/test") { request, _ in
            try await authorize(request)
            let body = try await object(of: request, allowed: ["organization", "name"])
            let missing = ["organization", "name"].filter { body[$0] == nil || body[$0] == .null }
            guard missing.isEmpty else { throw PlaidFailure.missingFields(missing) }
            let directory = services.shareTokens.directory
            let known = directory.organizations.keys.map(\.rawValue).sorted()
            guard case .string(let rawOrganization)? = body["organization"], let organization = OrganizationID(rawValue: rawOrganization),
                directory.organizations[organization] != nil
            else {
                throw PlaidFailure.invalidField("organization must be one of the sandbox's organizations: \(known.joined(separator: ", "))")
            }
            let names = SampleWebhookEvent.names.map(\.rawValue)
            guard case .string(let rawName)? = body["name"], names.contains(rawName),
                let event = try SampleWebhookEvent.event(
                    named: EventName(rawValue: rawName), for: organization, directory: directory, at: timeline.now())
            else {
                throw PlaidFailure.invalidField("name must be one of the events the sandbox raises: \(names.joined(separator: ", "))")
            }
            let (url, secrets) = try webhook(of: organization)
            let outcome = await send(event.webhookBody, to: url, secrets: secrets)
            return JSONResponse.make(WebhookSendAnswer(event: event, url: url, outcome: outcome))
        }
        group.post("reset") { request, _ in
            try await authorize(request)
            try await services.resetToStart()
            return JSONResponse.make(SandboxResetAnswer(clock: SandboxClockAnswer(timeline)))
        }
    }

    // MARK: Authentication

    /// Lets the request through when it carries an organization's API key or a registered
    /// client's credentials in its headers; a 401 otherwise. Body fields are never credentials
    /// here: `client_id` in a fault names the client to fault.
    private func authorize(_ request: Request) async throws {
        let authorization = request.headers.value(of: .authorization)
        if (try? services.shareTokens.authenticate(authorization: authorization)) != nil { return }
        var presented = PresentedCredentials()
        presented.addHeaders(clientID: request.headers.value(of: .plaidClientID), secret: request.headers.value(of: .plaidSecret))
        if let authorization { presented.addAuthorization(authorization) }
        do {
            guard !presented.sources.isEmpty else { throw OAuthFailure.invalidClient("no credentials", basic: false) }
            _ = try await services.authenticator.authenticate(presented)
        } catch {
            throw PlaidFailure.invalidAPIKeys(
                "the control plane needs a registered client's credentials (HTTP Basic, or PLAID-CLIENT-ID and PLAID-SECRET) "
                    + "or an organization's API key (Authorization: Bearer)",
                status: 401)
        }
    }

    // MARK: Bodies

    /// The request's body as a JSON object (an empty body is an empty object), refusing members
    /// not in `allowed` (when given).
    private func object(of request: Request, allowed: Set<String>?) async throws -> [String: JSONValue] {
        if let contentType = request.headers.value(of: .contentType), WireFormat(contentType: contentType) != .json {
            throw PlaidFailure(
                errorType: "INVALID_REQUEST", errorCode: "INVALID_HEADERS",
                message: "send the body as application/json", status: 415)
        }
        let bytes = try await bodyReader.readBytes(request)
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return [:] }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes)) else {
            throw PlaidFailure.invalidBody("the body must be a JSON object")
        }
        if let allowed {
            let unknown = object.keys.filter { !allowed.contains($0) }.sorted()
            guard unknown.isEmpty else {
                throw PlaidFailure(
                    errorType: "INVALID_REQUEST", errorCode: "UNKNOWN_FIELDS",
                    message: "unknown fields: \(unknown.map { String($0.prefix(64)) }.joined(separator: ", ")); "
                        + "this call takes \(allowed.sorted().joined(separator: ", "))")
            }
        }
        return object
    }

    // MARK: Webhooks

    /// The webhook URL and signing secrets of `organization`, or a 409 when it has none.
    private func webhook(of organization: OrganizationID) throws(PlaidFailure) -> (url: String, secrets: [String]) {
        guard let entry = services.shareTokens.directory.organizations[organization], let url = entry.webhookURL,
            !entry.webhookSecrets.isEmpty
        else {
            throw PlaidFailure(
                errorType: "INVALID_REQUEST", errorCode: "NO_WEBHOOK_URL",
                message: "organization \(organization) has no webhook_url to send to; set one in the sandbox configuration",
                status: 409)
        }
        return (url, entry.webhookSecrets)
    }

    private func send(_ body: [UInt8], to url: String, secrets: [String]) async -> WebhookSender.Outcome {
        await WebhookSender(clock: services.configuration.clock, timeout: services.configuration.webhookDelivery.attemptTimeout)
            .send(body, to: url, secrets: secrets, with: HTTPClient.shared)
    }

    static func notFound(_ message: String) -> PlaidFailure {
        PlaidFailure(errorType: "INVALID_REQUEST", errorCode: "NOT_FOUND", message: message, status: 404)
    }
}
