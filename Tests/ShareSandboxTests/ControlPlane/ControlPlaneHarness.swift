import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox

/// Calls to the `/sandbox/` control plane in tests, authenticated as the harness's `lender`
/// client with HTTP Basic.
enum ControlPlaneHarness {
    static let basic: HTTPFields = [
        .authorization: "Basic " + Data("\(SandboxHarness.lender.id):\(SandboxHarness.lender.secret)".utf8).base64EncodedString()
    ]

    /// A share-token sandbox on `clock` (which the tests never move: only the control plane does).
    static func configuration(
        clock: ManualClock = ManualClock(), seed: ShareTokenSeed = ShareTokenHarness.seed(), storage: SandboxConfiguration.Storage = .memory
    ) -> SandboxConfiguration {
        ShareTokenHarness.configuration(clock: clock, seed: seed, storage: storage)
    }
}

extension SandboxTestClient {
    /// A control-plane call as `lender` (HTTP Basic), with a JSON body when given.
    func control(_ path: String, method: HTTPRequest.Method = .post, body: String? = nil, headers: HTTPFields = ControlPlaneHarness.basic)
        async throws -> SandboxAnswer
    {
        var all = headers
        if body != nil { all[.contentType] = "application/json" }
        return try await send(path, method: method, headers: all, body: body.map { Array($0.utf8) })
    }

    /// `POST /sandbox/clock/advance`, expecting success; answers the new offset.
    @discardableResult
    func advanceClock(_ seconds: Int) async throws -> Int {
        let answer = try await control("/sandbox/clock/advance", body: #"{"seconds":\#(seconds)}"#)
        guard answer.status == 200, let offset = answer.integer("offset_seconds") else {
            throw ControlPlaneTestError("advance by \(seconds) failed: \(answer.status) \(answer.bodyText)")
        }
        return offset
    }

    /// `POST /sandbox/faults` with `json`, expecting 201; answers the fault's id.
    func addFault(_ json: String) async throws -> String {
        let answer = try await control("/sandbox/faults", body: json)
        guard answer.status == 201, let id = answer.string("id") else {
            throw ControlPlaneTestError("fault \(json) refused: \(answer.status) \(answer.bodyText)")
        }
        return id
    }

    /// The sandbox's time as `GET /sandbox/clock` tells it.
    func sandboxNow() async throws -> Date {
        let answer = try await control("/sandbox/clock", method: .get)
        guard let text = answer.string("now"), let timestamp = Timestamp(parsing: text) else {
            throw ControlPlaneTestError("no clock: \(answer.bodyText)")
        }
        return timestamp.date
    }
}

extension SandboxAnswer {
    /// The members of Plaid's error object, the control plane's error shape.
    var isPlaidError: Bool { SandboxAnswer.plaidErrorKeys.isSubset(of: keys) && integer("status") == status }
    /// The members of an OAuth error answer.
    var isOAuthError: Bool { keys == ["error", "error_description", "request_id"] }
}

struct ControlPlaneTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
