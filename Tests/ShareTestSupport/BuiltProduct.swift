import Foundation

/// An executable this package builds, found next to the test bundle: `swift build` puts the
/// products and the test bundle in one folder, which the bundle's path leads to within a few
/// levels.
public enum BuiltProduct {
    /// The executable named `name`, or `nil` when it has not been built.
    public static func url(named name: String) -> URL? {
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
