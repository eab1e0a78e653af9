/// Reports a broken property: the process stops, libFuzzer saves the input as a crash artifact.
enum FuzzFailure {
    static func stop(_ message: String) -> Never {
        fatalError("fuzz property violated: " + message)
    }

    /// Stops when `condition` is false.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { stop(message()) }
    }
}
