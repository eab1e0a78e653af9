import Testing

@testable import ShareShell

@Suite("ReverseSearch")
struct ReverseSearchTests {
    let entries = ["token client-credentials", "user create", "token refresh --refresh-token pdr-1", "partners", "token refresh --refresh-token pdr-1"]

    @Test("typing finds the newest entry that contains the query, cursor on the match")
    func newestMatch() {
        var search = ReverseSearch(entries: entries, original: LineBuffer("draft"))
        #expect(search.prompt == "(reverse-i-search)`': ")
        #expect(search.line == "draft")
        search.append("tok")
        #expect(search.match == ReverseSearch.Match(entry: 4, offset: 0))
        search.append("en r")
        #expect(search.line == "token refresh --refresh-token pdr-1")
        #expect(search.prompt == "(reverse-i-search)`token r': ")
    }

    @Test("Ctrl-R again goes to older matches, skipping repeats of the one shown")
    func older() {
        var search = ReverseSearch(entries: entries, original: LineBuffer())
        search.append("token")
        search.searchOlder()
        #expect(search.line == "token client-credentials")
        #expect(search.cursor == 0)
        search.searchOlder()
        #expect(search.failed)
        #expect(search.prompt == "(failed reverse-i-search)`token': ")
        #expect(search.line == "token client-credentials")
    }

    @Test("a query nothing contains fails and keeps the original line")
    func noMatch() {
        var search = ReverseSearch(entries: entries, original: LineBuffer("draft"))
        search.append("zzz")
        #expect(search.failed)
        #expect(search.line == "draft")
        search.deleteBackward()
        search.deleteBackward()
        search.deleteBackward()
        #expect(!search.failed)
        #expect(search.match == nil)
    }

    @Test("the accepted line keeps the cursor at the start of the matched text")
    func accepted() {
        var search = ReverseSearch(entries: entries, original: LineBuffer())
        search.append("create")
        #expect(search.accepted == LineBuffer("user create", cursor: 5))
    }
}
