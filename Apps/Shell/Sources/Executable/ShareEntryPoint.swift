import ShareShell

/// `share`: everything lives in ``ShareShellTool`` (library target ShareShell), so tests drive the
/// same code.
@main
enum ShareEntryPoint {
    static func main() async {
        await ShareShellTool.runAndExit()
    }
}
