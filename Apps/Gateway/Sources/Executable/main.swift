import ShareGateway

/// Called from an `async` function so that `main(_:)` resolves to ArgumentParser's asynchronous
/// entry point; from top-level code it resolves to the synchronous one, which refuses an
/// asynchronous command.
func runGateway() async {
    await GatewayCommand.main(nil)
}

await runGateway()
