import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An interactive prompt with line editing, history and tab completion, on a raw-mode terminal.
///
/// Keys: ←/→, Home/End (Ctrl-A/Ctrl-E), Alt-B/Alt-F and Ctrl-←/→ by word, Backspace, Delete,
/// Ctrl-U/Ctrl-K/Ctrl-W, ↑/↓ (Ctrl-P/Ctrl-N) through history, Tab to complete, Ctrl-L to clear the
/// screen, Ctrl-C to drop the line, Ctrl-D to exit on an empty line.
///
/// Hand-written on termios because no line editor in the package mirror is usable (and GPL-licensed
/// readline is ruled out).
final class LineEditor: @unchecked Sendable {
    /// What one call to ``readLine(prompt:)`` produced.
    enum Outcome: Equatable {
        case line(String)
        /// Ctrl-C: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the input closed.
        case endOfInput
    }

    private let input: Int32
    private let output: Int32
    private let terminal: TerminalMode
    private let completer: (any LineCompleter)?
    private(set) var history: History

    init(history: History, completer: (any LineCompleter)?, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.history = history
        self.completer = completer
        self.input = input
        self.output = output
        terminal = TerminalMode(descriptor: input)
    }

    /// Reads one line. Blocks the calling thread; call it off the cooperative pool.
    func readLine(prompt: String) -> Outcome {
        guard terminal.enableRaw() else { return .endOfInput }
        defer { terminal.restore() }
        var state = EditorState(prompt: prompt)
        var decoder = KeyDecoder()
        redraw(state)
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count <= 0 {
                if count < 0, errno == EINTR { continue }
                emit("\r\n")
                return .endOfInput
            }
            var keys = decoder.feed(buffer[0..<count])
            if decoder.hasPendingEscape, !waitForInput(milliseconds: 40), let escape = decoder.flushEscape() {
                keys.append(escape)
            }
            for key in keys {
                if let outcome = handle(key, state: &state) {
                    // Show the final line (keys may have arrived together with Enter or Ctrl-C).
                    redraw(state)
                    if outcome == .interrupted { emit("^C") }
                    emit("\r\n")
                    if case .line(let line) = outcome { history.add(line) } else { history.resetBrowsing() }
                    return outcome
                }
            }
            redraw(state)
        }
    }

    /// Applies one key; returns an outcome when the line is finished.
    private func handle(_ key: Key, state: inout EditorState) -> Outcome? {
        switch key {
        case .enter: return .line(state.buffer.text)
        case .control("c"):
            return .interrupted
        case .control("d"):
            if state.buffer.isEmpty { return .endOfInput }
            state.buffer.deleteForward()
        case .text(let text): state.buffer.insert(text)
        case .backspace: state.buffer.deleteBackward()
        case .delete: state.buffer.deleteForward()
        case .left, .control("b"): state.buffer.moveLeft()
        case .right, .control("f"): state.buffer.moveRight()
        case .home, .control("a"): state.buffer.moveToStart()
        case .end, .control("e"): state.buffer.moveToEnd()
        case .wordLeft: state.buffer.moveWordLeft()
        case .wordRight: state.buffer.moveWordRight()
        case .control("u"): state.buffer.deleteToStart()
        case .control("k"): state.buffer.deleteToEnd()
        case .control("w"): state.buffer.deleteWordBackward()
        case .control("l"): emit("\u{1B}[H\u{1B}[2J")
        case .up, .control("p"):
            if let line = history.previous(current: state.buffer.text) { state.buffer.replace(with: line) }
        case .down, .control("n"):
            if let line = history.next() { state.buffer.replace(with: line) }
        case .tab: complete(&state)
        default: break
        }
        return nil
    }

    private func complete(_ state: inout EditorState) {
        guard let completer else { return }
        let completion = completer.complete(state.buffer.textBeforeCursor)
        switch completion.candidates.count {
        case 0:
            emit("\u{07}")
        case 1:
            state.buffer.completeWord(prefixLength: completion.prefixLength, with: completion.candidates[0] + " ")
        default:
            let common = completion.commonPrefix
            if common.count > completion.prefixLength {
                state.buffer.completeWord(prefixLength: completion.prefixLength, with: common)
            } else {
                emit("\r\n" + Self.columns(completion.candidates) + "\r\n")
            }
        }
    }

    private func redraw(_ state: EditorState) {
        let promptWidth = Self.visibleWidth(state.prompt)
        let column = promptWidth + state.buffer.textBeforeCursor.count
        var line = "\r" + state.prompt + state.buffer.text + "\u{1B}[K\r"
        if column > 0 { line += "\u{1B}[\(column)C" }
        emit(line)
    }

    private func waitForInput(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(output, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Candidates laid out in columns that fit the terminal.
    static func columns(_ candidates: [String], width: Int = TerminalMode.columns()) -> String {
        let cell = (candidates.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        var rows: [String] = []
        var index = 0
        while index < candidates.count {
            let row = candidates[index..<min(index + perRow, candidates.count)]
            rows.append(row.map { $0.padding(toLength: cell, withPad: " ", startingAt: 0) }.joined().trimmingTrailingSpaces())
            index += perRow
        }
        return rows.joined(separator: "\r\n")
    }

    /// The printed width of `text`, not counting ANSI escape sequences.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value), scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}

/// The prompt and the line being edited.
private struct EditorState {
    let prompt: String
    var buffer = LineBuffer()
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
