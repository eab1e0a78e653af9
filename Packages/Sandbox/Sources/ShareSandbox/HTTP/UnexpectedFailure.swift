import GRDB
import Logging

/// What the sandbox logs about an error it did not expect (answered 500): the error's type and,
/// for a database error, SQLite's result code — never a message, which could quote a value.
enum UnexpectedFailure {
    static func metadata(for error: any Error) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["error.type": "\(String(reflecting: type(of: error)))"]
        if let error = error as? DatabaseError {
            metadata["sqlite.code"] = "\(error.extendedResultCode.rawValue)"
        }
        return metadata
    }
}
