import Foundation
import Hummingbird

/// The yardstick of `scripts/bench-sandbox`: a bare Hummingbird server with one route that
/// answers a constant JSON body, so `/oauth/introspect` can be measured as a ratio to it.
///
/// Usage: `sandbox-bench-baseline PORT`
@main
enum SandboxBaselineMain {
    static func main() async throws {
        let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8081
        let body = ByteBuffer(string: #"{"active":false,"request_id":"baseline0000000"}"#)
        let router = Router()
        router.post("/oauth/introspect") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
        }
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in print("baseline listening on http://127.0.0.1:\(port)") }
        )
        try await app.runService()
    }
}
