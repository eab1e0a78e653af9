#if os(Linux)
import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Two `share-sandbox` processes on one PostgreSQL database share the control plane: the clock one
/// moves is the other's, and a fault one adds applies exactly `times` times across both.
@Suite("share-sandbox: two processes share the control plane through PostgreSQL",
    .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresSharedControlProcessTests {
    @Test("over HTTP: an advance at one process is the other's clock; a fault for 3 requests faults 3 requests over both")
    func controlPlaneAcrossProcesses() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        try await PostgresTestDatabase.withDatabase { location in
            let one = try SandboxProcess(binary: binary, arguments: ["--data", location.description])
            let other: SandboxProcess
            do {
                other = try SandboxProcess(binary: binary, arguments: ["--data", location.description])
            } catch {
                one.stop(signal: SIGTERM)
                throw error
            }
            do {
                try await Self.exercise(one, other)
            } catch {
                one.stop(signal: SIGTERM)
                other.stop(signal: SIGTERM)
                throw error
            }
            // Listening for changes does not hold up a graceful stop.
            #expect(one.stop(signal: SIGTERM) == 0)
            #expect(other.stop(signal: SIGTERM) == 0)
        }
    }

    /// The clock, then a fault, then a reset, each made at one process and checked at both.
    static func exercise(_ one: SandboxProcess, _ other: SandboxProcess) async throws {
        let key = ShareTokenDemo.sourceAPIKey

        let (advanced, advancedBody) = try await PostgresMultiProcessTests.send(
            "POST", one.url, "/sandbox/clock/advance", key: key, body: #"{"seconds": 86400}"#)
        #expect(advanced == 200, "\(advancedBody)")
        let (_, clockBody) = try await PostgresMultiProcessTests.send("GET", other.url, "/sandbox/clock", key: key)
        #expect(clockBody.contains(#""offset_seconds":86400"#), "\(clockBody)")

        let (added, addedBody) = try await PostgresMultiProcessTests.send(
            "POST", one.url, "/sandbox/faults", key: key,
            body: #"{"method": "GET", "path": "/api/v1/connect/share-tokens", "status": 503, "times": 3}"#)
        #expect(added == 201, "\(addedBody)")
        let answered = PostgresSharedControlTests.StatusLog()
        try await PostgresSharedControlTests.eventually("the other process applies the fault") {
            let status = try await PostgresMultiProcessTests.send("GET", other.url, "/api/v1/connect/share-tokens", key: key).0
            await answered.append(status)
            return status == 503
        }
        var statuses = await answered.statuses
        let split = try await withThrowingTaskGroup(of: Int.self) { group in
            for attempt in 0..<10 {
                let base = attempt.isMultiple(of: 2) ? one.url : other.url
                group.addTask { try await PostgresMultiProcessTests.send("GET", base, "/api/v1/connect/share-tokens", key: key).0 }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        statuses += split
        #expect(statuses.filter { $0 == 503 }.count == 3, "\(statuses)")
        #expect(statuses.filter { $0 == 200 }.count == statuses.count - 3, "\(statuses)")

        let (reset, _) = try await PostgresMultiProcessTests.send("POST", other.url, "/sandbox/reset", key: key)
        #expect(reset == 200)
        let (_, resetClock) = try await PostgresMultiProcessTests.send("GET", one.url, "/sandbox/clock", key: key)
        #expect(resetClock.contains(#""offset_seconds":0"#), "\(resetClock)")
    }
}
#endif
