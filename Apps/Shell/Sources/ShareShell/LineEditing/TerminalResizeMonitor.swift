import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGWINCH into a readable descriptor, so the line editor's `poll` wakes up when the
/// terminal is resized. The signal is received by a `DispatchSource`, not a signal handler; its
/// event handler writes one byte to a pipe whose read end ``descriptor`` the editor polls.
final class TerminalResizeMonitor: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let readEnd: Int32
    private let writeEnd: Int32

    /// Readable after a resize until ``acknowledge()``.
    var descriptor: Int32 { readEnd }

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends where end >= 0 { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        signal(SIGWINCH, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler { [writeEnd] in
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
        source.resume()
    }

    /// Drains the pipe after a resize was seen.
    func acknowledge() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }

    deinit {
        source.cancel()
        signal(SIGWINCH, SIG_DFL)
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }
}
