#if os(Linux)
import Foundation
import ShareSandbox
import Testing

/// `--data FILE` naming a path that cannot hold the sandbox's SQLite database: the error names
/// the path and what is wrong with it, in the store and from a `share-sandbox` process.
@Suite("SQLite --data paths that cannot be opened")
struct SQLiteDataPathTests {
    @Test("a missing folder, a folder, and a file that is not a database each get their own reason")
    func reasons() throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("absent/sandbox.sqlite").path
        let notDatabase = folder.appendingPathComponent("notes.txt")
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: notDatabase)
        let cases: [(String, SQLiteStoreUnopenable.Reason)] = [
            (missing, .missingFolder(folder.appendingPathComponent("absent").path)),
            (folder.path, .isFolder),
            (notDatabase.path, .notADatabase),
        ]
        for (path, reason) in cases {
            #expect {
                _ = try SQLiteSandboxStore(path: path)
            } throws: { error in
                (error as? SQLiteStoreUnopenable)?.reason == reason && "\(error)".contains(path)
            }
        }
        // The file that is not a database is left as it was.
        #expect(try String(contentsOf: notDatabase, encoding: .utf8).hasPrefix("not a database"))
    }

    @Test("share-sandbox names the path and the reason, and exits 2")
    func process() throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, _, errors) = try PostgresProcessTests.run(binary, ["--port", "0", "--data", folder.path])
        #expect(status == 2)
        #expect(errors.contains("Error: \(folder.path) is a folder; name a file in it for the sandbox database"), "\(errors)")
        let missing = folder.appendingPathComponent("absent/sandbox.sqlite").path
        let (missingStatus, _, missingErrors) = try PostgresProcessTests.run(binary, ["--port", "0", "--data", missing])
        #expect(missingStatus == 2)
        #expect(missingErrors.contains("the folder \(folder.path)/absent does not exist"), "\(missingErrors)")
    }
}
#endif
