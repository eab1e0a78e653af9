import Foundation
import Testing

@testable import ShareShell

@Suite("History")
struct HistoryTests {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("share-history-\(UUID().uuidString)/history")
    }

    @Test("Up walks back, Down returns to the unfinished line")
    func browsing() {
        var history = History(fileURL: nil)
        history.add("user create")
        history.add("partners")
        #expect(history.previous(current: "draft") == "partners")
        #expect(history.previous(current: "ignored") == "user create")
        #expect(history.previous(current: "ignored") == nil)
        #expect(history.next() == "partners")
        #expect(history.next() == "draft")
        #expect(history.next() == nil)
    }

    @Test("blank lines and immediate repeats are not recorded")
    func deduplication() {
        var history = History(fileURL: nil)
        history.add("  ")
        history.add("env")
        history.add("env")
        #expect(history.entries == ["env"])
    }

    @Test("entries survive in a private file, capped at the limit")
    func persistence() throws {
        let file = temporaryFile()
        var history = History(fileURL: file, limit: 3)
        for line in ["a", "b", "c", "d"] { history.add(line) }
        let reloaded = History(fileURL: file, limit: 3)
        #expect(reloaded.entries == ["b", "c", "d"])
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test("the file lives under XDG_STATE_HOME, else ~/.local/state")
    func location() {
        #expect(History.defaultFileURL(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])?.path == "/s/share/history")
        #expect(History.defaultFileURL(environment: ["HOME": "/h"])?.path == "/h/.local/state/share/history")
        #expect(History.defaultFileURL(environment: [:]) == nil)
    }
}
