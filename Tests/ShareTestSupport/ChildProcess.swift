import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn(3)`, for tests of what only a real process shows.
///
/// Hand-written because neither process API at hand fits these tests:
/// - Foundation's `Process.run()` crashes now and then on Linux when the test process holds more
///   than about 1,300 descriptors (a read past the end of a `readdir` buffer while it lists
///   `/proc/self/fd`, swiftlang/swift-corelibs-foundation#5472, in Swift 6.3.1), and the test
///   process, which runs many servers at once, does;
/// - swift-subprocess runs a child only for the span of a closure, while these tests start a
///   server in one place, signal it from another task, and stop it later.
///
/// The child gets the descriptors it is given as 0, 1 and 2 and no other
/// (`posix_spawn_file_actions_addclosefrom_np` on Linux, `POSIX_SPAWN_CLOEXEC_DEFAULT` on
/// Darwin), starts in a process group of its own, as
/// Foundation's children do, and with no signal blocked. The parent's ends of its pipes are
/// close-on-exec, so no other child inherits them and holds a pipe open past this one's end.
public final class ChildProcess: @unchecked Sendable {
    /// What one of the child's standard streams is connected to.
    public enum Stream: Sendable {
        /// The test process's own stream.
        case inherited
        /// `/dev/null`.
        case nullDevice
        /// A new pipe; the parent's end is the process's ``standardInput``, ``standardOutput`` or
        /// ``standardError``.
        case pipe
        /// For standard error only: the same file as standard output.
        case standardOutput
    }

    /// Why a child could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    public let processIdentifier: pid_t
    /// The parent's end of the child's standard input, when it is a ``Stream/pipe``.
    public let standardInput: FileHandle?
    /// The parent's end of the child's standard output, when it is a ``Stream/pipe``.
    public let standardOutput: FileHandle?
    /// The parent's end of the child's standard error, when it is a ``Stream/pipe``.
    public let standardError: FileHandle?

    private let lock = NSLock()
    /// The status `waitpid` reported, once the child is reaped; from then on its id may belong
    /// to another process and is never signalled.
    private var reapedStatus: Int32?

    /// Starts `executable` with `arguments`, in `environment` (the test process's when `nil`).
    public init(
        _ executable: URL, arguments: [String] = [], environment: [String: String]? = nil,
        standardInput: Stream = .nullDevice, standardOutput: Stream = .nullDevice, standardError: Stream = .nullDevice
    ) throws {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        var childEnds: [Int32] = []
        var parentEnds: [Int32] = []
        defer { for descriptor in childEnds { close(descriptor) } }
        var started = false
        defer { if !started { for descriptor in parentEnds { close(descriptor) } } }

        /// Connects `stream` to the child's `target` descriptor; returns the parent's end of a pipe.
        func connect(_ stream: Stream, to target: Int32) throws -> Int32? {
            switch stream {
            case .inherited:
                return nil
            case .nullDevice:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
                return nil
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, target)
                return nil
            case .pipe:
                var ends: [Int32] = [-1, -1]
                let created = pipe(&ends) == 0 && fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0
                guard created else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
                let (childEnd, parentEnd) = target == STDIN_FILENO ? (ends[0], ends[1]) : (ends[1], ends[0])
                childEnds.append(childEnd)
                parentEnds.append(parentEnd)
                // dup2 clears close-on-exec on the copy the child keeps.
                posix_spawn_file_actions_adddup2(&actions, childEnd, target)
                return parentEnd
            }
        }
        let input = try connect(standardInput, to: STDIN_FILENO)
        let output = try connect(standardOutput, to: STDOUT_FILENO)
        let error = try connect(standardError, to: STDERR_FILENO)
        var flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK
        #if canImport(Glibc)
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(&actions, STDERR_FILENO + 1)
        } else {
            // Before glibc 2.34: every descriptor open now. One opened after this listing is
            // inherited only if it is not close-on-exec.
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for descriptor in open.compactMap({ Int32($0) }) where descriptor > STDERR_FILENO {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        }
        #else
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT
        #endif

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argumentStrings = [executable.path] + arguments
        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = argumentStrings.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environmentStrings.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw SpawnError(description: "\(executable.path) could not be started: \(String(cString: strerror(result)))")
        }
        started = true
        processIdentifier = pid
        self.standardInput = input.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        self.standardOutput = output.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        self.standardError = error.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    /// What a child run to its end did.
    public struct Outcome: Sendable {
        /// The exit code, or the number of the signal that ended the child.
        public let status: Int32
        /// Its standard output, as UTF-8.
        public let output: String
        /// Its standard error, as UTF-8.
        public let error: String
    }

    /// Runs `executable` to its end with `input` (then end of file) as standard input, and
    /// collects standard output and standard error. Both are read at once, so a child that fills
    /// one pipe while the other is read does not stall.
    public static func run(
        _ executable: URL, arguments: [String] = [], environment: [String: String]? = nil, input: String = ""
    ) throws -> Outcome {
        let child = try ChildProcess(
            executable, arguments: arguments, environment: environment, standardInput: .pipe, standardOutput: .pipe, standardError: .pipe)
        let errorRead = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errorData = Data()
        Thread.detachNewThread {
            errorData = child.standardError!.readDataToEndOfFile()
            errorRead.signal()
        }
        if !input.isEmpty { try? child.standardInput!.write(contentsOf: Data(input.utf8)) }
        try? child.standardInput!.close()
        let outputData = child.standardOutput!.readDataToEndOfFile()
        errorRead.wait()
        let status = child.waitUntilExit()
        return Outcome(status: status, output: String(decoding: outputData, as: UTF8.self), error: String(decoding: errorData, as: UTF8.self))
    }

    #if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not declare (it is a GNU extension).
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
    #endif

    /// Whether the child has not exited yet (reaping it when it has).
    public var isRunning: Bool {
        lock.withLock { reapIfExited() == nil }
    }

    /// Sends `signal` to the child, unless it was reaped already.
    public func send(_ signal: Int32) {
        lock.withLock {
            if reapedStatus == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// Reads the child's standard output (a ``Stream/pipe``) until `isComplete` holds for what was
    /// read so far, or the output ends; returns the text read and whether it is complete. A POSIX
    /// `read`, retried on `EINTR` (`FileHandle.availableData` traps on it), so that no more than
    /// the child printed is waited for.
    public func readOutput(until isComplete: (String) -> Bool) -> (text: String, complete: Bool) {
        let descriptor = standardOutput!.fileDescriptor
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isComplete(text) {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return (text, false) }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
        return (text, true)
    }

    /// Waits for the child to exit and returns its status: the exit code, or the number of the
    /// signal that ended it, as Foundation's `Process.terminationStatus`.
    @discardableResult
    public func waitUntilExit() -> Int32 {
        while true {
            if let status = lock.withLock({ reapIfExited() }) { return Self.terminationStatus(decoding: status) }
            // Waits without reaping, so that the reaping (and the signals sent before it) stay
            // under the lock.
            var information = siginfo_t()
            if waitid(P_PID, id_t(processIdentifier), &information, WEXITED | WNOWAIT) != 0, errno != EINTR {
                // Reaped by another waiter in the meantime, or not a child: nothing to wait for.
                return lock.withLock { Self.terminationStatus(decoding: reapedStatus ?? -1) }
            }
        }
    }

    /// The status of the child once it exited, reaping it then; `nil` while it runs. Called with
    /// the lock held.
    private func reapIfExited() -> Int32? {
        if let reapedStatus { return reapedStatus }
        var status: Int32 = 0
        let result = waitpid(processIdentifier, &status, WNOHANG)
        guard result == processIdentifier else { return nil }
        reapedStatus = status
        return status
    }

    /// `WEXITSTATUS` for an exit, `WTERMSIG` for a signal (the C macros are not imported).
    private static func terminationStatus(decoding status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
    }
}
