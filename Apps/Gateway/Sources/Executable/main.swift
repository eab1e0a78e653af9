import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import ShareGateway

// Run Swift concurrency on the server's event loops: request handling then stays on the thread
// that owns the connection instead of hopping to the cooperative pool and back.
// Read before anything starts, so only the environment sets them; a bad value stops start-up
// like any other (exit status 2).
// A variable of the namespace that is not a setting is refused when the configuration is resolved.
let environment = ProcessInfo.processInfo.environment
if let text = environment[GatewayEnvironmentSetting.threads.name] {
    guard let threads = Int(text), threads > 0 else {
        GatewayCommand.exit(reporting: GatewayConfigurationError("\(GatewayEnvironmentSetting.threads.name)=\(text): must be a positive integer"))
    }
    NIOSingletons.groupLoopCountSuggestion = threads
}
if let text = environment[GatewayEnvironmentSetting.cpuAffinity.name], text != "0", text != "1" {
    GatewayCommand.exit(reporting: GatewayConfigurationError("\(GatewayEnvironmentSetting.cpuAffinity.name)=\(text): must be 0 or 1"))
}
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
if environment[GatewayEnvironmentSetting.cpuAffinity.name] == "1" {
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
