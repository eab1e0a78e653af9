import Testing

@testable import ShareShell

@Suite("ShellWords")
struct ShellWordsTests {
    @Test("splits on whitespace and honours quotes and escapes", arguments: [
        ("user create", ["user", "create"]),
        ("  introspect   pda-x  ", ["introspect", "pda-x"]),
        ("set name 'two words'", ["set", "name", "two words"]),
        ("set json \"{\\\"a\\\": 1}\"", ["set", "json", "{\"a\": 1}"]),
        ("a\\ b c", ["a b", "c"]),
        ("revoke x # a comment", ["revoke", "x"]),
        ("''", [""]),
    ])
    func splitting(line: String, expected: [String]) throws {
        #expect(try ShellWords.split(line).map(\.text) == expected)
    }

    @Test("an unterminated quote is an error, not a crash")
    func unterminated() {
        #expect(throws: ShellWords.UnterminatedQuote(quote: "'")) { try ShellWords.split("set a 'oops") }
        #expect(throws: ShellWords.UnterminatedQuote(quote: "\"")) { try ShellWords.split("set a \"oops") }
    }
}

@Suite("ResultMemory")
struct ResultMemoryTests {
    func memory() -> ResultMemory {
        var memory = ResultMemory()
        memory.record(.object(["user_id": .string("usr_A")]))
        memory.record(.object(["access_token": .string("pda-1"), "refresh_token": .string("pdr-1"), "expires_in": .integer(900)]))
        memory.set("grant", to: .object(["data": .object(["id": .string("cnst_9")])]))
        memory.set("who", to: .string("usr_B"))
        return memory
    }

    func expand(_ line: String) throws -> [String] {
        let memory = memory()
        return try ShellWords.split(line).map { try memory.expand($0) }
    }

    @Test("$last, $N and variables expand to fields")
    func references() throws {
        #expect(try expand("introspect $last.access_token") == ["introspect", "pda-1"])
        #expect(try expand("x $1.user_id ${who} $grant.data.id $2.expires_in") == ["x", "usr_A", "usr_B", "cnst_9", "900"])
        #expect(try expand("x prefix-$who.") == ["x", "prefix-usr_B."])
    }

    @Test("single quotes and backslash keep $ literal")
    func literal() throws {
        #expect(try expand("set a '$last.x' \\$who") == ["set", "a", "$last.x", "$who"])
    }

    @Test("unknown references say what exists")
    func unresolved() {
        #expect(throws: ResultMemory.UnresolvedReference.self) { try expand("x $7.user_id") }
        #expect(throws: ResultMemory.UnresolvedReference.self) { try expand("x $last.nope") }
        #expect(throws: ResultMemory.UnresolvedReference.self) { try expand("x $nobody") }
        let empty = ResultMemory()
        #expect(throws: ResultMemory.UnresolvedReference.self) { try empty.resolve("last.user_id") }
    }
}
