import Foundation
import NIOCore
import ShareSandbox
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("in-process server")
struct InProcessServerTests {
    @Test("start binds a free loopback port, serves the demo clients, and shuts down")
    func startAndShutdown() async throws {
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(port: 0, partners: SandboxHarness.partners))
        #expect(sandbox.port > 0)
        #expect(sandbox.url == "http://127.0.0.1:\(sandbox.port)")

        var request = URLRequest(url: URL(string: sandbox.url + "/oauth/token")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(SandboxDemo.clientID, forHTTPHeaderField: "PLAID-CLIENT-ID")
        request.setValue(SandboxDemo.clientSecret, forHTTPHeaderField: "PLAID-SECRET")
        request.httpBody = Data(#"{"grant_type":"client_credentials"}"#.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let body = try JSONDecoder().decode([String: AttributeValue].self, from: data)
        #expect(body["token_type"] == .string("Bearer"))

        try await sandbox.shutdown()
    }

    @Test("two sandboxes run side by side on different ports")
    func twoAtOnce() async throws {
        try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0)) { first in
            try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0)) { second in
                #expect(first.port != second.port)
            }
        }
    }

    @Test("a port already in use is an error, not a hang")
    func portInUse() async throws {
        _ = try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0)) { first in
            await #expect(throws: (any Error).self) {
                try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: first.port)) { _ in }
            }
        }
    }

    @Test("withRunningSandbox stops the server when its body throws, and rethrows the body's error")
    func scopedShutdownOnError() async throws {
        struct Planned: Error {}
        let port = Mutex<Int>(0)
        await #expect(throws: Planned.self) {
            try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0)) { sandbox in
                port.withLock { $0 = sandbox.port }
                throw Planned()
            }
        }
        // The port is free again: a new sandbox can bind it. The freed port is also in the range
        // the kernel hands out as the local port of outgoing connections, which the suites running
        // alongside open by the thousand, so one of them may hold it for a moment: "in use" is
        // tried again for up to 5 seconds. A port the stopped server still held would stay in use.
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: port.withLock { $0 })) { sandbox in
                    #expect(sandbox.port == port.withLock { $0 })
                }
                return
            } catch let error as IOError where error.errnoCode == EADDRINUSE && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test("the demo set has the documented clients, one per partner")
    func demoClients() {
        let ids = SandboxDemo.clients(partners: SandboxHarness.partners).map(\.id)
        #expect(ids == ["demo-client", "demo-client-2", "demo-experian", "demo-fannie-mae", "demo-freddie-mac"])
        #expect(SandboxDemo.clients(partners: SandboxHarness.partners).allSatisfy { !$0.description.contains($0.secret) })
    }
}
