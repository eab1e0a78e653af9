import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An interactive prompt with line editing, history, reverse search, tab completion and bracketed
/// paste, on a raw-mode terminal. Lines longer than the terminal is wide wrap over several rows and
/// are redrawn in place; a resize (SIGWINCH) re-reads the width and redraws.
///
/// Keys: ←/→, Home/End (Ctrl-A/Ctrl-E), Alt-B/Alt-F and Ctrl-←/→ by word, Backspace, Delete,
/// Ctrl-U/Ctrl-K/Ctrl-W, ↑/↓ (Ctrl-P/Ctrl-N) through history, Ctrl-R to search it, Tab to
/// complete, Ctrl-L to clear the screen, Ctrl-C to drop the line, Ctrl-D to exit on an empty line.
/// A paste of several lines runs them one after the other, as a piped script would.
///
/// The parts are values tested on their own: ``KeyDecoder`` (bytes → keys), ``LineEditorState``
/// (key → new state + actions), ``LineRenderer`` (state + width → bytes) and ``DisplayWidth``; this
/// class only moves bytes between them and the terminal.
///
/// Hand-written on termios: none of the packages in the local package mirror is a line editor,
/// GPL-licensed readline and libedit are ruled out, and a C dependency would break `swift run share`
/// on a fresh clone.
final class LineEditor: @unchecked Sendable {
    /// What one call to ``readLine(prompt:)`` produced.
    enum Outcome: Equatable, Sendable {
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
    private let resizeMonitor = TerminalResizeMonitor()
    let history: HistoryStore

    /// Keys read but not yet handled (typed ahead of Enter), kept for the next line.
    private var decoder = KeyDecoder()
    private var pendingKeys: [Key] = []
    /// Lines of a multi-line paste still to run, and the unfinished text after them.
    private var pastedLines: [String] = []
    private var pastedDraft = ""

    private static let bracketedPasteOn = "\u{1B}[?2004h"
    private static let bracketedPasteOff = "\u{1B}[?2004l"

    init(history: HistoryStore, completer: (any LineCompleter)?, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.history = history
        self.completer = completer
        self.input = input
        self.output = output
        terminal = TerminalMode(descriptor: input)
    }

    /// Reads one line. Blocks the calling thread; call it off the cooperative pool.
    func readLine(prompt: String) -> Outcome {
        if !pastedLines.isEmpty {
            // The next line of a paste: shown as if typed, then run.
            let line = pastedLines.removeFirst()
            emit(LineRenderer.finish(prompt: prompt, text: line, previous: .fresh))
            history.add(line)
            return .line(line)
        }
        guard terminal.enableRaw() else { return .endOfInput }
        emit(Self.bracketedPasteOn)
        defer {
            emit(Self.bracketedPasteOff)
            terminal.restore()
        }
        var state = LineEditorState(prompt: prompt, history: history.snapshot, completer: completer, buffer: LineBuffer(pastedDraft))
        pastedDraft = ""
        var width = TerminalMode.columns(of: output)
        var layout = LineRenderer.Layout.fresh

        func draw() {
            let display = state.display
            let rendered = LineRenderer.render(
                prompt: display.prompt, text: display.text, cursor: display.cursor, width: width, previous: layout)
            emit(rendered.output)
            layout = rendered.layout
        }

        draw()
        while true {
            if pendingKeys.isEmpty {
                switch waitForKeys() {
                case .keys:
                    break
                case .resized:
                    width = TerminalMode.columns(of: output)
                    let display = state.display
                    layout = LineRenderer.layoutAfterResize(
                        prompt: display.prompt, text: display.text, cursor: display.cursor, width: width)
                    draw()
                    continue
                case .closed:
                    emit("\r\n")
                    return .endOfInput
                }
            }
            while !pendingKeys.isEmpty {
                let key = pendingKeys.removeFirst()
                var finished: Outcome?
                for action in state.handle(key) {
                    switch action {
                    case .finish(let outcome):
                        finished = outcome
                    case .queuePastedLines(let lines, let draft):
                        pastedLines = lines
                        pastedDraft = draft
                    case .ringBell:
                        emit("\u{07}")
                    case .clearScreen:
                        emit("\u{1B}[H\u{1B}[2J")
                        layout = .fresh
                    case .listCandidates(let candidates):
                        let display = state.display
                        emit(LineRenderer.finish(prompt: display.prompt, text: display.text, previous: layout))
                        emit(Self.columns(candidates, width: width) + "\r\n")
                        layout = .fresh
                    }
                }
                if let finished {
                    let display = state.display
                    let suffix = finished == .interrupted ? "^C" : ""
                    emit(LineRenderer.finish(prompt: display.prompt, text: display.text, suffix: suffix, previous: layout))
                    if case .line(let line) = finished { history.add(line) }
                    return finished
                }
            }
            draw()
        }
    }

    private enum Wakeup { case keys, resized, closed }

    /// Blocks until keys arrive (appended to ``pendingKeys``), the terminal is resized, or input ends.
    private func waitForKeys() -> Wakeup {
        var descriptors = [
            pollfd(fd: input, events: Int16(POLLIN), revents: 0),
            pollfd(fd: resizeMonitor.descriptor, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return .closed
            }
            if descriptors[1].revents & Int16(POLLIN) != 0 {
                resizeMonitor.acknowledge()
                return .resized
            }
            if descriptors[0].revents != 0 { break }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var count = 0
        repeat { count = read(input, &buffer, buffer.count) } while count < 0 && errno == EINTR
        if count <= 0 { return .closed }
        pendingKeys += decoder.feed(buffer[0..<count])
        if decoder.hasPendingEscape, !inputArrives(within: 40), let escape = decoder.flushEscape() {
            pendingKeys.append(escape)
        }
        return .keys
    }

    private func inputArrives(within milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    private func emit(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(output, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Candidates laid out in columns that fit the terminal.
    static func columns(_ candidates: [String], width: Int = TerminalMode.columns()) -> String {
        let cell = (candidates.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        var rows: [String] = []
        var index = 0
        while index < candidates.count {
            let row = candidates[index..<min(index + perRow, candidates.count)].map { candidate in
                candidate + String(repeating: " ", count: max(0, cell - DisplayWidth.of(candidate)))
            }
            rows.append(row.joined().trimmingTrailingSpaces())
            index += perRow
        }
        return rows.joined(separator: "\r\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
