import ShareSandboxServer

/// The `share-sandbox` executable: everything lives in ``ShareSandboxCommand``.
@main
enum ShareSandboxMain {
    static func main() async {
        await ShareSandboxCommand.main(nil)
    }
}
