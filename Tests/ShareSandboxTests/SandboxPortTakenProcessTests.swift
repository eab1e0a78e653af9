#if os(Linux)
import Foundation
import ShareTestSupport
import Testing

/// `share-sandbox` on a port another process listens on: the error names the port and the way out.
@Suite("share-sandbox on a taken port (process)")
struct SandboxPortTakenProcessTests {
    @Test("a taken port is named, with --port 0 suggested, and exits 2")
    func takenPort() throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try ChildProcess.run(binary, arguments: ["--port", String(port)])
        let text = outcome.error
        #expect(outcome.status == 2)
        #expect(text.contains("port \(port) on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one"), "\(text)")
    }
}
#endif
