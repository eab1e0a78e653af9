import ShareClient

/// A `sandbox …` or `events redeliver` command whose target has no control plane to call: a
/// share-gateway that does not forward `/sandbox…` (its own 404 `not_found`), or a sandbox
/// started with `--no-control-plane` (whose `/sandbox/` paths answer 404 like any unknown path).
/// Says what to change instead of showing the bare 404.
struct ControlPlaneUnavailable: Error, Sendable, CustomStringConvertible {
    let description: String

    /// The allowlist entry a share-gateway's operator adds to forward the control plane.
    static let gatewayAllowPath = "--allow-path 'GET,POST,DELETE /sandbox…'"

    /// The calls a control plane always answers: a 404 to one of them means there is none (a 404
    /// to removing a fault or redelivering an event may just mean an unknown id).
    static let operationsOfAnyControlPlane: Set<String> = [
        "sandbox.clock", "sandbox.clock.advance", "sandbox.clock.reset", "sandbox.faults.add", "sandbox.faults.list",
        "sandbox.faults.clear", "sandbox.reset",
    ]

    /// `error` worded for the target, when it says the control plane is not there; `nil` otherwise.
    static func explaining(_ error: ShareClientError, target: ShellTarget) -> ControlPlaneUnavailable? {
        guard error.status == 404 else { return nil }
        if case .gateway(let url) = target, let refusal = error.underlyingError as? OAuthError, refusal.code.rawValue == "not_found" {
            return ControlPlaneUnavailable(
                description: "the share-gateway at \(url.absoluteString) does not forward the sandbox's control plane (/sandbox…); "
                    + "its operator enables it with \(gatewayAllowPath) (with the API paths it should keep forwarding)")
        }
        if operationsOfAnyControlPlane.contains(error.operation) {
            return ControlPlaneUnavailable(
                description: "this server has no sandbox control plane: a share-sandbox started with --no-control-plane, "
                    + "or not a share-sandbox (HTTP 404\(error.apiRequestID.map { ", request_id \($0)" } ?? ""))")
        }
        return nil
    }
}
