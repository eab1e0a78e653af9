import ShareShell

await ShareShellTool.main()
