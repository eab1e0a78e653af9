#if os(Linux)
import Foundation
import ShareModels
import ShareSandbox
import Testing

/// `share-sandbox --data PATH` killed with SIGKILL while its workflows run: started again on the
/// same file, it runs what the killed process left pending, and nothing twice.
@Suite("share-sandbox --data: workflows survive kill -9")
struct WorkflowKillTests {
    @Test("kill -9 while share tokens are created and redeemed by workflows: after the restart each (workflow, event) has run exactly once")
    func killAndRestart() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try PostgresMultiProcessTests.configurationFile(bankWebhook: nil, workflows: PostgresMultiProcessTests.redeemAndShareOnward)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let path = folder.appendingPathComponent("workflows.sqlite").path
        let arguments = ["--data", path, "--config", file]

        let first = try SandboxProcess(binary: binary, arguments: arguments)
        let ledger = PostgresMultiProcessTests.KillLedger()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    while await ledger.keepsCreating(), !(await ledger.killed) {
                        if let answer = try? await PostgresMultiProcessTests.createShareToken(at: first.url), answer.status == 201 {
                            // Mid-load, with redemptions and workflows under way: kill -9.
                            if await ledger.recordCreation() { first.stop(signal: SIGKILL) }
                        }
                    }
                }
            }
        }
        first.stop(signal: SIGKILL)
        #expect(await ledger.killed, "the load never reached the kill")

        let restarted = try SandboxProcess(binary: binary, arguments: arguments)
        defer { restarted.stop(signal: SIGTERM) }
        try await PostgresMultiProcessTests.expectEveryWorkflowRanOnce(in: try SQLiteSandboxStore(path: path), acknowledged: await ledger.created)
    }
}
#endif
