import Foundation
import ShareCredentials
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
        #expect(history.previous(current: "partners") == "user create")
        #expect(history.previous(current: "user create") == nil)
        #expect(history.next() == "partners")
        #expect(history.next() == "draft")
        #expect(history.next() == nil)
    }

    @Test("an entry edited while browsing keeps its edit until the line is finished")
    func editsWhileBrowsing() {
        var history = History(fileURL: nil)
        history.add("user create")
        history.add("partners")
        #expect(history.previous(current: "") == "partners")
        #expect(history.previous(current: "partners --json") == "user create")
        #expect(history.next(current: "user create") == "partners --json")
        #expect(history.next(current: "partners --json") == "")
        #expect(history.previous(current: "") == "partners --json")
        history.resetBrowsing()
        #expect(history.previous(current: "") == "partners")
        #expect(history.entries == ["user create", "partners"])
    }

    @Test("blank lines and immediate repeats are not recorded")
    func deduplication() {
        var history = History(fileURL: nil)
        history.add("  ")
        history.add("env")
        history.add("env")
        #expect(history.entries == ["env"])
    }

    @Test("a line starting with a space is not recorded (HISTCONTROL=ignorespace)")
    func leadingSpace() {
        var history = History(fileURL: nil)
        history.add("env")
        history.add(" set password hunter2")
        history.add("\tset password hunter2")
        #expect(history.entries == ["env"])
    }

    @Test("consecutive duplicates are stored once, repeats further apart are kept")
    func consecutiveDuplicates() {
        var history = History(fileURL: nil)
        for line in ["env", "env", "partners", "partners", "env"] { history.add(line) }
        #expect(history.entries == ["env", "partners", "env"])
    }

    @Test("delete N removes that entry from memory and from the file")
    func deleteEntry() {
        let file = temporaryFile()
        var history = History(fileURL: file)
        for line in ["a", "b", "c"] { history.add(line) }
        #expect(history.delete(number: 2) == "b")
        #expect(history.delete(number: 0) == nil)
        #expect(history.delete(number: 3) == nil)
        #expect(history.entries == ["a", "c"])
        #expect(History(fileURL: file).entries == ["a", "c"])
    }

    @Test("a line holding the session's secret never reaches the store or its file")
    func secretsAreNotRecorded() {
        let file = temporaryFile()
        let store = HistoryStore(History(fileURL: file), secrets: [Secret("s3cr3t-value")])
        store.add("set pass s3cr3t-value")
        store.add("whoami")
        #expect(store.entries == ["whoami"])
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(!text.contains("s3cr3t"))
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
