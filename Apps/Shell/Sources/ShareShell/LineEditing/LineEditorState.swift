/// The line editor as a state machine: a key goes in, the state changes, and actions for the
/// terminal come out. Pure — no terminal, no file — so every key is unit-tested; ``LineEditor``
/// performs the actions and draws ``display`` after each key.
struct LineEditorState: Sendable {
    /// What the terminal side must do after a key, besides redrawing.
    enum Action: Equatable, Sendable {
        /// The line is finished.
        case finish(LineEditor.Outcome)
        /// A paste held more lines: run them after the finished one, one by one, then edit `draft`
        /// (the text after the paste's last line break).
        case queuePastedLines([String], draft: String)
        case ringBell
        case clearScreen
        /// Several completions: show them under the line.
        case listCandidates([String])
    }

    /// What the screen shows: a prompt, the line after it and the cursor within the line.
    struct Display: Equatable, Sendable {
        var prompt: String
        var text: String
        var cursor: Int
    }

    let prompt: String
    private(set) var buffer: LineBuffer
    /// A copy of history for Up/Down and Ctrl-R; the editor records finished lines in the store.
    private(set) var history: History
    /// The reverse search in progress (Ctrl-R), if any.
    private(set) var search: ReverseSearch?
    private let completer: (any LineCompleter)?
    /// Where a run of Tab presses on an ambiguous word is: the first rings the bell, the second
    /// lists the candidates, and later ones list nothing more until another key is pressed.
    private var ambiguousTab = AmbiguousTab.none

    private enum AmbiguousTab: Sendable {
        case none, rang, listed
    }

    init(prompt: String, history: History, completer: (any LineCompleter)?, buffer: LineBuffer = LineBuffer()) {
        self.prompt = prompt
        self.history = history
        self.completer = completer
        self.buffer = buffer
    }

    var display: Display {
        if let search { return Display(prompt: search.prompt, text: search.line, cursor: search.cursor) }
        return Display(prompt: prompt, text: buffer.text, cursor: buffer.cursor)
    }

    /// Applies one key.
    mutating func handle(_ key: Key) -> [Action] {
        if search != nil { return handleSearching(key) }
        if key != .tab { ambiguousTab = .none }
        switch key {
        case .enter:
            return [.finish(.line(buffer.text))]
        case .control("c"):
            return [.finish(.interrupted)]
        case .control("d"):
            if buffer.isEmpty { return [.finish(.endOfInput)] }
            buffer.deleteForward()
        case .text(let text): buffer.insert(text)
        case .paste(let text): return paste(text)
        case .backspace: buffer.deleteBackward()
        case .delete: buffer.deleteForward()
        case .left, .control("b"): buffer.moveLeft()
        case .right, .control("f"): buffer.moveRight()
        case .home, .control("a"): buffer.moveToStart()
        case .end, .control("e"): buffer.moveToEnd()
        case .wordLeft: buffer.moveWordLeft()
        case .wordRight: buffer.moveWordRight()
        case .control("u"): buffer.deleteToStart()
        case .control("k"): buffer.deleteToEnd()
        case .control("w"): buffer.deleteWordBackward()
        case .control("l"): return [.clearScreen]
        case .control("r"):
            search = ReverseSearch(entries: history.entries, original: buffer)
        case .up, .control("p"):
            if let line = history.previous(current: buffer.text) { buffer.replace(with: line) }
        case .down, .control("n"):
            if let line = history.next(current: buffer.text) { buffer.replace(with: line) }
        case .tab: return complete()
        default: break
        }
        return []
    }

    /// Keys while Ctrl-R is active: typing refines the query, Ctrl-R goes further back, Ctrl-G and
    /// Esc restore the line from before the search, Enter runs the match, and any other key takes
    /// the match into the editor and then acts on it (so ← and Ctrl-A/Ctrl-E start editing it).
    private mutating func handleSearching(_ key: Key) -> [Action] {
        guard var search else { return [] }
        switch key {
        case .text(let text):
            search.append(text)
        case .paste(let text):
            search.append(text.replacingOccurrences(of: "\n", with: " "))
        case .backspace:
            search.deleteBackward()
        case .control("r"):
            search.searchOlder()
        case .control("g"), .escape:
            buffer = search.original
            self.search = nil
            return []
        case .control("c"):
            buffer = search.original
            self.search = nil
            return [.finish(.interrupted)]
        case .enter:
            buffer = search.accepted
            self.search = nil
            return [.finish(.line(buffer.text))]
        default:
            buffer = search.accepted
            self.search = nil
            return handle(key)
        }
        self.search = search
        return search.failed ? [.ringBell] : []
    }

    /// A paste is text, never keys: its tabs arrive as spaces (no completion) and each line break
    /// finishes a line, as if the lines came from a piped script.
    private mutating func paste(_ text: String) -> [Action] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        buffer.insert(lines[0])
        guard lines.count > 1 else { return [] }
        let finished = buffer.text
        buffer.moveToEnd()
        return [.finish(.line(finished)), .queuePastedLines(Array(lines.dropFirst().dropLast()), draft: lines.last ?? "")]
    }

    private mutating func complete() -> [Action] {
        guard let completer else { return [] }
        let completion = completer.complete(buffer.textBeforeCursor)
        switch completion.candidates.count {
        case 0:
            return [.ringBell]
        case 1:
            buffer.completeWord(prefixLength: completion.prefixLength, with: completion.candidates[0] + " ")
        default:
            let common = completion.commonPrefix
            if common.count > completion.prefixLength {
                buffer.completeWord(prefixLength: completion.prefixLength, with: common)
                ambiguousTab = .none
            } else {
                switch ambiguousTab {
                case .none:
                    ambiguousTab = .rang
                    return [.ringBell]
                case .rang:
                    ambiguousTab = .listed
                    return [.listCandidates(completion.candidates)]
                case .listed:
                    return []
                }
            }
        }
        return []
    }
}
