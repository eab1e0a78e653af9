import Foundation
import Testing

/// Runs the built `share` binary as a user would: piped scripts and one-shot commands against the
/// embedded sandbox. `scripts/test` builds the binary before `swift test`.
@Suite("share binary", .serialized)
struct ShellBinaryTests {
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    static var binary: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/share")
    }

    func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Run {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shell first: swift build --product share")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = FileManager.default.temporaryDirectory.path
        env.removeValue(forKey: "PLAID_CLIENT_ID")
        env.removeValue(forKey: "PLAID_SECRET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
    }

    @Test("the piped CRA flow from the README prints an active token")
    func pipedFlow() throws {
        let result = try run([], input: "user create\ntoken exchange --user $last.user_id --partner fannie-mae\nintrospect $last.access_token\n")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"active\" : true"))
        #expect(result.output.contains("urn:plaid:params:cra-partner:fannie-mae"))
        #expect(result.error.contains("embedded sandbox"))
    }

    @Test("a piped script stops at the first failure with its exit code, unless --keep-going")
    func stopsAtFailure() throws {
        let script = "user create\nintrospect\nuser create\n"
        let stopped = try run(["--quiet"], input: script)
        #expect(stopped.status == 2)
        #expect(stopped.error.contains("line 2"))
        #expect(stopped.output.components(separatedBy: "\"user_id\"").count == 2)
        let kept = try run(["--quiet", "--keep-going"], input: script)
        #expect(kept.status == 2)
        #expect(kept.output.components(separatedBy: "\"user_id\"").count == 3)
    }

    @Test("one-shot commands run once and exit with the documented codes")
    func oneShot() throws {
        let partners = try run(["--quiet", "partners"])
        #expect(partners.status == 0)
        #expect(partners.output.contains("urn:plaid:params:cra-partner:freddie-mac"))
        let apiError = try run(["--quiet", "token", "refresh", "--refresh-token", "pdr-unknown"])
        #expect(apiError.status == 1)
        #expect(apiError.error.contains("invalid_grant"))
        let usage = try run(["--quiet", "frobnicate"])
        #expect(usage.status == 2)
    }

    @Test("an unreachable server is a transport error, exit 3")
    func transportError() throws {
        let secret = "s3cr3t-never-printed"
        let unreachable = try run(
            ["--quiet", "--url", "http://127.0.0.1:1", "user", "create"], environment: ["PLAID_CLIENT_ID": "a", "PLAID_SECRET": secret])
        #expect(unreachable.status == 3)
        #expect(!unreachable.error.contains(secret))
    }

    @Test("missing credentials for a remote target name every place looked")
    func missingCredentials() throws {
        let result = try run(["--quiet", "--url", "http://127.0.0.1:1", "user", "create"])
        #expect(result.status != 0)
        #expect(result.error.contains("PLAID_CLIENT_ID"))
    }
}
