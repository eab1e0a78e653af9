#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts a terminal into raw mode for line editing and restores it afterwards.
///
/// Raw here means: no echo, no canonical line buffering, and no signals from Ctrl-C/Ctrl-Z
/// while a line is being edited (the editor handles them as keys). Output processing stays on, so
/// `\n` still starts a new line.
final class TerminalMode: @unchecked Sendable {
    private let descriptor: Int32
    private var original = termios()
    private var isRaw = false

    init(descriptor: Int32 = STDIN_FILENO) { self.descriptor = descriptor }

    /// Whether `descriptor` is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Enters raw mode. Returns `false` when the descriptor is not a terminal.
    @discardableResult
    func enableRaw() -> Bool {
        guard !isRaw, tcgetattr(descriptor, &original) == 0 else { return isRaw }
        var raw = original
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        guard tcsetattr(descriptor, TCSADRAIN, &raw) == 0 else { return false }
        isRaw = true
        return true
    }

    /// Restores the mode found by ``enableRaw()``.
    func restore() {
        guard isRaw else { return }
        _ = tcsetattr(descriptor, TCSAFLUSH, &original)
        isRaw = false
    }

    /// The terminal's width in columns, 80 when unknown.
    static func columns(of descriptor: Int32 = STDOUT_FILENO) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    deinit { restore() }
}
