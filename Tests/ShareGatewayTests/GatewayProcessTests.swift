#if os(Linux)
import Foundation
import ShareTestSupport
import Testing

/// `share-gateway` as a child process: what only the real binary shows.
@Suite("share-gateway process", .serialized)
struct GatewayProcessTests {
    /// Starts the gateway with `environment` added, waits until it listens, runs `body` with its
    /// process id, then stops it with SIGTERM and returns the exit status.
    static func withGateway(environment: [String: String], _ body: (Int32) throws -> Void) throws -> Int32 {
        let executable = try #require(BuiltProduct.url(named: "share-gateway"), "build share-gateway first (swift build)")
        let process = try ChildProcess(
            executable, arguments: ["--port", "0", "--upstream", "http://127.0.0.1:1", "--no-console"],
            environment: ProcessInfo.processInfo.environment.merging(
                ["PLAID_CLIENT_ID": "process-test", "PLAID_SECRET": "process-test-secret", "SHARE_GATEWAY_THREADS": "2"].merging(environment) { $1 }) { $1 },
            standardOutput: .pipe, standardError: .standardOutput)
        defer {
            process.send(SIGTERM)
            process.waitUntilExit()
        }
        let (printed, listening) = process.readOutput { $0.contains("share-gateway listening on") }
        guard listening else {
            Issue.record("share-gateway exited before listening: \(printed)")
            return -1
        }
        try body(process.processIdentifier)
        process.send(SIGTERM)
        return process.waitUntilExit()
    }

    /// The CPUs each thread of NIO's singletons in `pid` may run on: the event loops
    /// (`NIO-SGLTN-g-#n`) and, when started, the blocking pool (`SGLTN-TP-#n`). A new thread
    /// starts with its creator's name (and CPUs) until it names itself, so a thread a loop has just
    /// started can briefly pass for the loop; threads are therefore counted once per name.
    static func singletonThreadCPUs(of pid: Int32) throws -> (loops: [String], blockingPool: [String]) {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        var loops: [String: String] = [:]
        var blockingPool: [String: String] = [:]
        for task in tasks {
            let status = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)
            let lines = status.split(separator: "\n")
            guard let nameLine = lines.first(where: { $0.hasPrefix("Name:") }), nameLine.contains("SGLTN-"),
                let allowed = lines.first(where: { $0.hasPrefix("Cpus_allowed_list:") })
            else { continue }
            let name = String(nameLine.dropFirst("Name:".count)).trimmingCharacters(in: .whitespaces)
            let cpus = String(allowed.dropFirst("Cpus_allowed_list:".count)).trimmingCharacters(in: .whitespaces)
            if name.contains("SGLTN-TP-") { blockingPool[name] = cpus } else { loops[name] = cpus }
        }
        return (loops.sorted { $0.key < $1.key }.map(\.value), blockingPool.sorted { $0.key < $1.key }.map(\.value))
    }

    static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    @Test("SHARE_GATEWAY_CPU_AFFINITY=1 pins each event loop to its own CPU, and no other thread; without it they may run anywhere")
    func cpuAffinity() throws {
        var pinned: (loops: [String], blockingPool: [String]) = ([], [])
        let status = try Self.withGateway(environment: ["SHARE_GATEWAY_CPU_AFFINITY": "1"]) { pid in
            pinned = try Self.singletonThreadCPUs(of: pid)
        }
        #expect(status == 0)
        let singleCPU = pinned.loops.compactMap { Int($0) }
        #expect(pinned.loops.count == 2 && singleCPU.count == 2, "each of the two loops on one CPU: \(pinned.loops)")
        #expect(!pinned.blockingPool.isEmpty, "the blocking pool is started before the loops are pinned")
        if Self.processorCount >= 2 {
            #expect(Set(singleCPU).count == 2, "\(pinned.loops)")
            // Started before the pinning, the blocking pool's threads did not inherit a loop's CPU.
            #expect(pinned.blockingPool.allSatisfy { Int($0) == nil }, "\(pinned.blockingPool)")
        }

        var unpinned: (loops: [String], blockingPool: [String]) = ([], [])
        _ = try Self.withGateway(environment: [:]) { pid in unpinned = try Self.singletonThreadCPUs(of: pid) }
        #expect(unpinned.loops.count >= 2)
        if Self.processorCount >= 2 { #expect(unpinned.loops.allSatisfy { Int($0) == nil }, "\(unpinned.loops)") }
    }
}
#endif
