import Foundation
import ShareSandbox

/// The two stores every race test runs on.
enum StoreKind: String, CaseIterable, Sendable {
    case memory, sqlite

    /// The storage of this kind, its database (if any) in `folder`.
    func storage(in folder: URL) -> SandboxConfiguration.Storage {
        switch self {
        case .memory: .memory
        case .sqlite: .sqlite(path: folder.appendingPathComponent("race.sqlite").path)
        }
    }
}
