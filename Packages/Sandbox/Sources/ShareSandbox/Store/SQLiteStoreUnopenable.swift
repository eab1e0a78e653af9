import Foundation
import GRDB

/// The SQLite file of a sandbox could not be opened, said in terms of the path: a folder that
/// does not exist, a folder given instead of a file, a file that is not a SQLite database, or
/// what SQLite reported otherwise (no permission, a read-only file system).
///
/// SQLite itself only says "unable to open database file" (error 14) for the first two and "file
/// is not a database" (error 26) for the third, without the path.
public struct SQLiteStoreUnopenable: Error, Sendable, CustomStringConvertible {
    /// What is wrong with the path.
    public enum Reason: Sendable, Equatable {
        case missingFolder(String)
        case isFolder
        case notADatabase
        case other(String)
    }

    public let path: String
    public let reason: Reason

    /// The reason `path` could not be opened, from SQLite's `error` and what the file system holds.
    init(path: String, error: DatabaseError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let folder = url.deletingLastPathComponent().path
        if exists, isDirectory.boolValue {
            reason = .isFolder
        } else if !exists, !FileManager.default.fileExists(atPath: folder) {
            reason = .missingFolder(folder)
        } else if error.resultCode == .SQLITE_NOTADB {
            reason = .notADatabase
        } else {
            reason = .other(error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }

    public var description: String {
        switch reason {
        case .missingFolder(let folder):
            return "cannot create the sandbox database \(path): the folder \(folder) does not exist (create it first)"
        case .isFolder:
            return "\(path) is a folder; name a file in it for the sandbox database, e.g. \(URL(fileURLWithPath: path).appendingPathComponent("sandbox.sqlite").path)"
        case .notADatabase:
            return "\(path) is not a SQLite database; name another file, or delete this one to start afresh"
        case .other(let message):
            return "cannot open the sandbox database \(path): \(message)"
        }
    }
}
