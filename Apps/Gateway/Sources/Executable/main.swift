import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import ShareGateway

// Run Swift concurrency on the server's event loops: request handling then stays on the thread
// that owns the connection instead of hopping to the cooperative pool and back.
if let threads = ProcessInfo.processInfo.environment["SHARE_GATEWAY_THREADS"].flatMap(Int.init), threads > 0 {
    NIOSingletons.groupLoopCountSuggestion = threads
}
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
if ProcessInfo.processInfo.environment["SHARE_GATEWAY_CPU_AFFINITY"] == "1" {
    _ = await EventLoopAffinity.pin(MultiThreadedEventLoopGroup.singleton)
}

// Parsed and run explicitly: from top-level code, `GatewayCommand.main()` resolves to the
// synchronous entry point, which refuses an asynchronous command.
do {
    let command = try GatewayCommand.parse()
    try await command.run()
} catch {
    GatewayCommand.exit(reporting: error)
}
