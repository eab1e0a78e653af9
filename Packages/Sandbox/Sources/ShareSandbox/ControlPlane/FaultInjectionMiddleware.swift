import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareCore
import ShareWire

/// Applies the faults of the control plane (``SandboxFault``) to the requests they match, before
/// any route or API convention runs: waits the fault's delay, then closes the connection without
/// an answer, answers the fault's status (``FaultedAnswer``), or lets the request run. Requests
/// to `/sandbox/` paths are never faulted.
///
/// Matching runs on the control plane's snapshot of the faults: while none is in force, a
/// request costs one check of an empty table; a match is counted down in the store
/// (``SandboxControlPlane``), which settles races between sandboxes sharing it.
///
/// When a fault for the request's method and path names a client, the request's client is read
/// from HTTP Basic, `PLAID-CLIENT-ID`, or `client_id` in a JSON or form body (the body is read
/// and put back for the route).
struct FaultInjectionMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    let control: SandboxControlPlane
    let maximumBodySize: Int
    let realm: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !SandboxControlRoutes.isControlPath(path), control.hasFaults else { return try await next(request, context) }
        let method = request.method.rawValue
        var request = request
        var clientID: String?
        if control.needsClientID(method: method, path: path) {
            clientID = await Self.clientID(of: &request, maximumBodySize: maximumBodySize)
        }
        guard let fault = try await control.takeFault(method: method, path: path, clientID: clientID) else {
            return try await next(request, context)
        }
        context.logger.debug("injecting a sandbox fault", metadata: ["fault.id": "\(fault.id)", "path": "\(path)"])
        if let delay = fault.delayMilliseconds { try await Task.sleep(for: .milliseconds(delay)) }
        if fault.dropConnection {
            // Closed without a byte of answer; the response below is never written.
            try? await context.channel.close(mode: .all).get()
            var response = Response(status: .serviceUnavailable)
            response.headers[FaultedAnswer.faultHeader] = fault.id
            return response
        }
        guard let status = fault.status else {
            var response = try await next(request, context)
            response.headers[FaultedAnswer.faultHeader] = fault.id
            return response
        }
        return FaultedAnswer.response(for: fault, status: status, path: path, requestID: context.requestID, realm: realm)
    }

    /// The OAuth client `request` names: HTTP Basic, then `PLAID-CLIENT-ID`, then `client_id` in
    /// a JSON object or form body. The body, when read, is put back into `request`.
    static func clientID(of request: inout Request, maximumBodySize: Int) async -> String? {
        var presented = PresentedCredentials()
        if let authorization = request.headers.value(of: .authorization) { presented.addAuthorization(authorization) }
        presented.addHeaders(clientID: request.headers.value(of: .plaidClientID), secret: nil)
        if let id = presented.sources.compactMap(\.clientID).first { return id }
        guard let bytes = try? await RequestBodyBuffer.read(&request, maximumSize: maximumBodySize), !bytes.isEmpty else { return nil }
        if let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes)) {
            if case .string(let id)? = object["client_id"] { return id }
            return nil
        }
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, PercentCoding.decode(String(parts[0]), plus: .space) == "client_id" else { continue }
            return PercentCoding.decode(String(parts[1]), plus: .space)
        }
        return nil
    }
}
