import Foundation
import NIOCore
import NIOPosix

// SHARE_BENCH_EXECUTOR=nio runs Swift concurrency on NIO's event loops (as share-gateway does), so
// that a task awaiting a response resumes on the loop that read it instead of hopping to the
// cooperative pool. It must be installed before the first task runs.
if ProcessInfo.processInfo.environment["SHARE_BENCH_EXECUTOR"] == "nio" {
    guard NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() else {
        FileHandle.standardError.write(Data("share-bench: could not install NIO as the global executor\n".utf8))
        exit(1)
    }
}

// share-bench BENCHMARK... | all
// share-bench load [OPTIONS]   (see LoadCommand)
let arguments = Array(CommandLine.arguments.dropFirst())
/// Called from an `async` function so that `main(_:)` resolves to ArgumentParser's asynchronous
/// entry point; from top-level code it resolves to the synchronous one, which refuses an
/// asynchronous command.
func runLoad(_ arguments: [String]) async {
    await LoadCommand.main(arguments)
}

if arguments.first == "load" {
    await runLoad(Array(arguments.dropFirst()))
    exit(0)
}
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
    FileHandle.standardError.write(Data(Benchmark.usage.utf8))
    exit(arguments.isEmpty ? 64 : 0)
}
let names = arguments == ["all"] ? Benchmark.all.map(\.name) : arguments
for name in names {
    guard let benchmark = Benchmark.all.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("share-bench: unknown benchmark \"\(name)\"\n\n\(Benchmark.usage)".utf8))
        exit(64)
    }
    print("== \(name)")
    do {
        try await benchmark.run()
    } catch {
        FileHandle.standardError.write(Data("share-bench \(name): \(error)\n".utf8))
        exit(1)
    }
}
