import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import SharePartners
import ShareSandbox

/// Runs a sandbox in this process for the length of `body`, with the demo clients
/// (`SandboxDemo.clientID`, `SandboxDemo.clientSecret`) and three partners, then stops it.
func withLocalSandbox(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
    let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
    try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0, partners: partners)) { sandbox in
        print(sandbox.url)  // http://127.0.0.1:54021
        try await body(sandbox.url)
    }
}
