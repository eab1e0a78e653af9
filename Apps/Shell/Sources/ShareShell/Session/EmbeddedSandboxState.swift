import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file the embedded sandbox keeps its state in, so that successive runs of `share` (one
/// command each, piped scripts, shells) see the same users and tokens: `sandbox.sqlite` in the
/// shell's state directory (``ShellStateDirectory``), the sandbox's own SQLite store
/// (`share-sandbox --data`), which several processes may use at once.
///
/// Two lock files keep runs from getting in each other's way: `sandbox.start.lock` is held
/// exclusively while a run opens the database (so two first runs do not both create it), and
/// `sandbox.lock` is held shared for as long as a run uses it — `sandbox reset` takes it
/// exclusively, and so refuses while any run is using the state.
struct EmbeddedSandboxState: Sendable, Equatable {
    /// The directory holding the database and its lock files.
    let directory: URL

    var databaseURL: URL { directory.appendingPathComponent("sandbox.sqlite") }
    private var useLockURL: URL { directory.appendingPathComponent("sandbox.lock") }
    private var startLockURL: URL { directory.appendingPathComponent("sandbox.start.lock") }

    /// The state of this user, or `nil` when there is no state directory (no `HOME`).
    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> EmbeddedSandboxState? {
        ShellStateDirectory.url(environment: environment).map(EmbeddedSandboxState.init(directory:))
    }

    /// Why the state could not be used or wiped.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A held lock; released when closed or when the process ends.
    final class Lease: @unchecked Sendable {
        private var descriptor: Int32

        fileprivate init(descriptor: Int32) { self.descriptor = descriptor }

        func release() {
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }

        deinit { release() }
    }

    /// Creates the directory (readable by its owner only) if needed.
    func prepareDirectory() throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Holds the state for a run: waits while another run opens the database or a reset wipes
    /// it, runs `open` with the start lock held, and returns the shared lock to keep until the
    /// run ends.
    func use<Value>(_ open: () async throws -> Value) async throws -> (Value, Lease) {
        try prepareDirectory()
        let start = try lock(startLockURL, operation: LOCK_EX)
        defer { start.release() }
        let use = try lock(useLockURL, operation: LOCK_SH)
        return (try await open(), use)
    }

    /// Deletes the database, unless a run is using it. Answers whether there was one.
    func reset() throws -> Bool {
        try prepareDirectory()
        let lease: Lease
        do {
            lease = try lock(useLockURL, operation: LOCK_EX | LOCK_NB)
        } catch {
            throw Failure(description: "the embedded sandbox's state is in use by another `share`; leave it, then run `share sandbox reset` again")
        }
        defer { lease.release() }
        var removed = false
        for suffix in ["", "-wal", "-shm"] {
            let file = databaseURL.path + suffix
            if FileManager.default.fileExists(atPath: file) {
                try FileManager.default.removeItem(atPath: file)
                removed = true
            }
        }
        return removed
    }

    private func lock(_ file: URL, operation: Int32) throws -> Lease {
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(file.path): \(String(cString: strerror(errno)))") }
        let lease = Lease(descriptor: descriptor)
        while flock(descriptor, operation) != 0 {
            if errno == EINTR { continue }
            throw Failure(description: "cannot lock \(file.path): \(String(cString: strerror(errno)))")
        }
        return lease
    }
}
