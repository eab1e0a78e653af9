import ArgumentParser

/// Output flags every command accepts.
struct OutputOptions: ParsableArguments, Sendable {
    @Flag(name: .long, help: "Print the exact API response as JSON.")
    var json = false

    @Flag(name: .long, help: "Show tokens whole instead of shortened (pda-RDdg…hA==).")
    var reveal = false

    init() {}
}
