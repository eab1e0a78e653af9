#if os(Linux)
import Foundation
import Glibc
import ShareTestSupport
import Testing

/// The child processes the process tests start.
@Suite("ChildProcess")
struct ChildProcessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    @Test("the exit code, or the number of the signal that ended the child, is its status")
    func status() throws {
        #expect(try ChildProcess.run(Self.shell, arguments: ["-c", "exit 3"]).status == 3)
        let sleeper = try ChildProcess(Self.shell, arguments: ["-c", "exec sleep 30"])
        #expect(sleeper.isRunning)
        sleeper.send(SIGKILL)
        #expect(sleeper.waitUntilExit() == SIGKILL)
        #expect(!sleeper.isRunning)
        // Reaped: signalling again does nothing, waiting again answers at once.
        sleeper.send(SIGKILL)
        #expect(sleeper.waitUntilExit() == SIGKILL)
    }

    @Test("input reaches the child; output and error are collected apart, even past a pipe's capacity")
    func streams() throws {
        let script = "cat; head -c 200000 /dev/zero | tr '\\0' e >&2; head -c 200000 /dev/zero | tr '\\0' o"
        let outcome = try ChildProcess.run(Self.shell, arguments: ["-c", script], input: "hello\n")
        #expect(outcome.status == 0)
        #expect(outcome.output.hasPrefix("hello\no"))
        #expect(outcome.output.count == "hello\n".count + 200_000)
        #expect(outcome.error == String(repeating: "e", count: 200_000))
    }

    @Test("standard error can share standard output's pipe")
    func mergedError() throws {
        let child = try ChildProcess(Self.shell, arguments: ["-c", "echo out; echo err >&2"], standardOutput: .pipe, standardError: .standardOutput)
        let text = String(decoding: child.standardOutput!.readDataToEndOfFile(), as: UTF8.self)
        #expect(child.waitUntilExit() == 0)
        #expect(text == "out\nerr\n")
    }

    @Test("the environment is the one given")
    func environment() throws {
        let outcome = try ChildProcess.run(Self.shell, arguments: ["-c", "printf %s \"$CHILD_PROCESS_TEST\""], environment: ["CHILD_PROCESS_TEST": "given"])
        #expect(outcome.output == "given")
    }

    @Test("a descriptor of the test process that is not close-on-exec is not inherited")
    func descriptorsAreNotInherited() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { for end in ends { close(end) } }
        let probe = "for fd in \(ends[0]) \(ends[1]); do if [ -e /proc/self/fd/$fd ]; then echo \"$fd open\"; fi; done; echo checked"
        let outcome = try ChildProcess.run(Self.shell, arguments: ["-c", probe])
        #expect(outcome.output == "checked\n")
    }

    @Test("several waiters of one child all get its status")
    func concurrentWaiters() async throws {
        let child = try ChildProcess(Self.shell, arguments: ["-c", "sleep 0.2; exit 7"])
        let statuses = await withTaskGroup(of: Int32.self) { group in
            for _ in 0..<4 { group.addTask { child.waitUntilExit() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [7, 7, 7, 7])
    }

    @Test("a missing executable is an error naming it")
    func missingExecutable() throws {
        #expect(throws: ChildProcess.SpawnError.self) { try ChildProcess(URL(fileURLWithPath: "/nonexistent/child")) }
    }
}
#endif
