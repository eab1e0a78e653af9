import CLibFuzzer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts libFuzzer with this process's arguments and the target chosen by `SHARE_FUZZ_TARGET`
/// (see ``FuzzTarget``), so one instrumented binary serves every target and the build links once.
@main
enum FuzzEntryPoint {
    static func main() {
        _ = FuzzTarget.selected
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
            FuzzTarget.selected.run(bytes)
            return 0
        })
    }
}
