#if os(Linux)
import Foundation
import ShareTestSupport
import Testing

/// `share-sandbox --data postgres://…` as a real process.
@Suite("share-sandbox on PostgreSQL (process)")
struct PostgresProcessTests {
    /// A loopback port nothing listens on: bound, never listened on, so connections are refused.
    static func refusingPort() throws -> (port: Int, descriptor: Int32) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound)
        return (Int(UInt16(bigEndian: address.sin_port)), descriptor)
    }

    /// Runs the binary to its end; answers its status, standard output and standard error.
    static func run(_ binary: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> (Int32, String, String) {
        let outcome = try ChildProcess.run(binary, arguments: arguments, environment: environment)
        return (outcome.status, outcome.output, outcome.error)
    }

    @Test("a database that cannot be reached is named without its password, and the process exits 2")
    func unreachable() throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let (port, descriptor) = try Self.refusingPort()
        defer { close(descriptor) }
        let (status, output, errors) = try Self.run(
            binary, ["--port", "0", "--data", "postgres://sandbox:hunter2-secret@127.0.0.1:\(port)/sharekit?sslmode=disable"])
        #expect(status == 2)
        #expect(errors.contains("Error: the PostgreSQL database postgres://sandbox@127.0.0.1:\(port)/sharekit?sslmode=disable cannot be reached"), "\(errors)")
        #expect(!(output + errors).contains("hunter2"), "\(output)\(errors)")
    }

    @Test("a malformed URL is a usage error that does not repeat the password")
    func malformed() throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let (status, output, errors) = try Self.run(binary, ["--port", "0", "--data", "postgres://sandbox:hunter2-secret@127.0.0.1:notaport/db"])
        #expect(status == 64)
        #expect(errors.contains("--data: invalid PostgreSQL URL: the port must be a number from 1 to 65535"), "\(errors)")
        #expect(!(output + errors).contains("hunter2"))
    }

    @Test("--help explains the URL rule and shows no password")
    func help() throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let (_, output, _) = try Self.run(binary, ["--help"], environment: ["PGPASSWORD": "hunter2-secret", "PATH": "/usr/bin:/bin"])
        #expect(output.contains("postgres://"), "\(output)")
        #expect(output.contains("PGPASSWORD"))
        #expect(!output.contains("hunter2"))
    }
}
#endif
