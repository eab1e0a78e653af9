import Testing

@testable import ShareShell

/// The editor's state machine: keys in, display and actions out, with no terminal.
@Suite("LineEditorState")
struct LineEditorStateTests {
    /// Completes "tok" to "token" and nothing else.
    struct TokenCompleter: LineCompleter {
        func complete(_ textBeforeCursor: String) -> Completion {
            let word = String(textBeforeCursor.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
            return Completion(prefixLength: word.count, candidates: word.isEmpty || !"token".hasPrefix(word) ? [] : ["token"])
        }
    }

    func history(_ lines: [String]) -> History {
        var history = History(fileURL: nil)
        for line in lines { history.add(line) }
        return history
    }

    func state(history lines: [String] = [], completer: (any LineCompleter)? = TokenCompleter()) -> LineEditorState {
        LineEditorState(prompt: "> ", history: history(lines), completer: completer)
    }

    @discardableResult
    func press(_ keys: [Key], on state: inout LineEditorState) -> [LineEditorState.Action] {
        keys.flatMap { state.handle($0) }
    }

    @Test("typing edits the line, Enter finishes it")
    func typeAndEnter() {
        var editor = state()
        press([.text("introspect"), .home, .text("x"), .end, .backspace], on: &editor)
        #expect(editor.display == LineEditorState.Display(prompt: "> ", text: "xintrospec", cursor: 10))
        #expect(editor.handle(.enter) == [.finish(.line("xintrospec"))])
    }

    @Test("editing keys in the middle of a long line keep the cursor where the edit happened")
    func editInTheMiddle() {
        var editor = state()
        let long = String(repeating: "a", count: 150) + " " + String(repeating: "b", count: 149)
        press([.text(long), .home, .wordRight, .text("X"), .control("k")], on: &editor)
        #expect(editor.display.text == String(repeating: "a", count: 150) + "X")
        #expect(editor.display.cursor == 151)
        press([.control("a"), .right, .right, .control("u")], on: &editor)
        #expect(editor.display.text == String(repeating: "a", count: 148) + "X")
        #expect(editor.display.cursor == 0)
        press([.end, .control("w")], on: &editor)
        #expect(editor.display.text.isEmpty)
    }

    @Test("Ctrl-C interrupts, Ctrl-D ends input only on an empty line")
    func interruptAndEnd() {
        var editor = state()
        #expect(editor.handle(.control("d")) == [.finish(.endOfInput)])
        press([.text("ab"), .home], on: &editor)
        #expect(editor.handle(.control("d")) == [])
        #expect(editor.display.text == "b")
        #expect(editor.handle(.control("c")) == [.finish(.interrupted)])
    }

    @Test("Up and Down walk history and come back to the draft")
    func historyRecall() {
        var editor = state(history: ["user create", "partners"])
        press([.text("dr"), .up, .up], on: &editor)
        #expect(editor.display.text == "user create")
        press([.down, .down], on: &editor)
        #expect(editor.display.text == "dr")
    }

    @Test("Tab completes; an unknown word rings the bell")
    func tabCompletes() {
        var editor = state()
        press([.text("tok"), .tab], on: &editor)
        #expect(editor.display.text == "token ")
        #expect(editor.handle(.text("zz")) == [])
        #expect(editor.handle(.tab) == [.ringBell])
    }

    /// Offers "token" and "tokens" for "tok…": ambiguous.
    struct AmbiguousCompleter: LineCompleter {
        func complete(_ textBeforeCursor: String) -> Completion {
            let word = String(textBeforeCursor.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
            return Completion(prefixLength: word.count, candidates: ["token", "tokens"].filter { $0.hasPrefix(word) })
        }
    }

    @Test("Tab on an ambiguous word: the first rings, the second lists once, more list nothing; another key starts over")
    func tabTwiceListsOnce() {
        var editor = state(completer: AmbiguousCompleter())
        #expect(press([.text("tok"), .tab], on: &editor) == [])
        #expect(editor.display.text == "token")
        #expect(editor.handle(.tab) == [.ringBell])
        #expect(editor.handle(.tab) == [.listCandidates(["token", "tokens"])])
        #expect(editor.handle(.tab) == [])
        #expect(editor.handle(.tab) == [])
        #expect(press([.backspace, .text("n"), .tab], on: &editor) == [.ringBell])
        #expect(editor.handle(.tab) == [.listCandidates(["token", "tokens"])])
    }

    @Test("Ctrl-R shows readline's prompt and the newest match; Enter runs it")
    func reverseSearchEnter() {
        var editor = state(history: ["token client-credentials", "user create", "partners"])
        press([.text("draft"), .control("r"), .text("cli")], on: &editor)
        #expect(editor.display == LineEditorState.Display(prompt: "(reverse-i-search)`cli': ", text: "token client-credentials", cursor: 6))
        #expect(editor.handle(.enter) == [.finish(.line("token client-credentials"))])
        #expect(editor.display.prompt == "> ")
    }

    @Test("repeated Ctrl-R finds older matches and rings the bell when there are none")
    func reverseSearchOlder() {
        var editor = state(history: ["user create --name old", "partners", "user create"])
        press([.control("r"), .text("user")], on: &editor)
        #expect(editor.display.text == "user create")
        #expect(editor.handle(.control("r")) == [])
        #expect(editor.display.text == "user create --name old")
        #expect(editor.handle(.control("r")) == [.ringBell])
        #expect(editor.display.prompt == "(failed reverse-i-search)`user': ")
    }

    @Test("Ctrl-G and Esc cancel the search and restore the line")
    func reverseSearchCancel() {
        for cancel in [Key.control("g"), .escape] {
            var editor = state(history: ["partners"])
            press([.text("draft"), .left, .control("r"), .text("part"), cancel], on: &editor)
            #expect(editor.display == LineEditorState.Display(prompt: "> ", text: "draft", cursor: 4))
            #expect(editor.search == nil)
        }
    }

    @Test("arrows and Ctrl-A/Ctrl-E take the match into the editor and move in it")
    func reverseSearchAccept() {
        var editor = state(history: ["token refresh --refresh-token pdr-1"])
        press([.control("r"), .text("--refresh"), .left], on: &editor)
        #expect(editor.display == LineEditorState.Display(prompt: "> ", text: "token refresh --refresh-token pdr-1", cursor: 13))
        press([.control("r"), .text("pdr"), .control("e"), .text("2")], on: &editor)
        #expect(editor.display.text == "token refresh --refresh-token pdr-12")
        press([.control("r"), .text("refresh"), .control("a")], on: &editor)
        #expect(editor.display.cursor == 0)
    }

    @Test("a pasted tab is a space and never completes")
    func pasteDoesNotComplete() {
        var editor = state()
        #expect(editor.handle(.paste("tok ")) == [])
        #expect(editor.display.text == "tok ")
    }

    @Test("a paste of several lines finishes the first and queues the rest, the tail stays to edit")
    func multiLinePaste() {
        var editor = state()
        press([.text("user ")], on: &editor)
        let actions = editor.handle(.paste("create\npartners\nwhoami\nenv"))
        #expect(actions == [.finish(.line("user create")), .queuePastedLines(["partners", "whoami"], draft: "env")])
        var single = state()
        #expect(single.handle(.paste("partners\n")) == [.finish(.line("partners")), .queuePastedLines([], draft: "")])
    }

    @Test("Ctrl-L asks for a cleared screen, keeping the line")
    func clearScreen() {
        var editor = state()
        press([.text("env")], on: &editor)
        #expect(editor.handle(.control("l")) == [.clearScreen])
        #expect(editor.display.text == "env")
    }
}
