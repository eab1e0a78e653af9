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
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--port", "0", "--upstream", "http://127.0.0.1:1", "--no-console"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["PLAID_CLIENT_ID": "process-test", "PLAID_SECRET": "process-test-secret", "SHARE_GATEWAY_THREADS": "2"].merging(environment) { $1 }) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var printed = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !printed.contains("listening on") {
            let count = buffer.withUnsafeMutableBytes { read(output.fileHandleForReading.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                Issue.record("share-gateway exited before listening: \(printed)")
                return -1
            }
            printed += String(decoding: buffer[..<count], as: UTF8.self)
        }
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try body(process.processIdentifier)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The CPUs each event-loop thread of `pid` may run on.
    static func eventLoopCPUs(of pid: Int32) throws -> [String] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        return try tasks.compactMap { task in
            let status = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)
            let lines = status.split(separator: "\n")
            guard let name = lines.first(where: { $0.hasPrefix("Name:") }), name.contains("NIO-SGLTN") else { return nil }
            return lines.first { $0.hasPrefix("Cpus_allowed_list:") }.map { String($0.dropFirst("Cpus_allowed_list:".count)).trimmingCharacters(in: .whitespaces) }
        }
    }

    static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    @Test("SHARE_GATEWAY_CPU_AFFINITY=1 pins each event loop to its own CPU; without it they may run anywhere")
    func cpuAffinity() throws {
        var pinned: [String] = []
        let status = try Self.withGateway(environment: ["SHARE_GATEWAY_CPU_AFFINITY": "1"]) { pid in
            pinned = try Self.eventLoopCPUs(of: pid)
        }
        #expect(status == 0)
        // NIO's singleton threads: the two event loops, and possibly the blocking-I/O pool's,
        // which are not pinned.
        let singleCPU = pinned.compactMap { Int($0) }
        #expect(singleCPU.count == 2, "each of the two loops on one CPU: \(pinned)")
        if Self.processorCount >= 2 { #expect(Set(singleCPU).count == 2, "\(pinned)") }

        var unpinned: [String] = []
        _ = try Self.withGateway(environment: [:]) { pid in unpinned = try Self.eventLoopCPUs(of: pid) }
        #expect(unpinned.count >= 2)
        if Self.processorCount >= 2 { #expect(unpinned.allSatisfy { Int($0) == nil }, "\(unpinned)") }
    }
}
#endif
