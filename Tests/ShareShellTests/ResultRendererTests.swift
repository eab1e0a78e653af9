import ShareWire
import Testing

@testable import ShareShell

/// Tables from results: lists in columns, described or inferred from the JSON's shape.
@Suite("ResultRenderer")
struct ResultRendererTests {
    let renderer = ResultRenderer(style: OutputStyle(json: false, reveal: false, color: false))

    let response = JSONValue.object([
        "access_token": .string("pda-RDdg0TUCB0FB25_UPIlnhA3xYq8WmT3hA"),
        "refresh_token": .string("pdr--viXurkDg88d5zf8m6Wl0gQ2cVbN7rKe"),
        "expires_in": .integer(900),
        "token_type": .string("Bearer"),
        "request_id": .string("m8MDqcS6F3lzqvP"),
    ])

    @Test("tables shorten tokens unless revealed")
    func truncation() {
        let table = ResultRenderer(style: OutputStyle(json: false, reveal: false, color: false)).render(response)
        #expect(table.contains("pda-RDdg…T3hA"))
        #expect(!table.contains("pda-RDdg0TUCB0FB25_UPIlnhA3xYq8WmT3hA"))
        let revealed = ResultRenderer(style: OutputStyle(json: false, reveal: true, color: false)).render(response)
        #expect(revealed.contains("pda-RDdg0TUCB0FB25_UPIlnhA3xYq8WmT3hA"))
    }

    @Test("a list in a one-member wrapper ({\"faults\": […]}) is a table of its items; an empty one says so")
    func wrappedList() {
        let faults = JSONValue.object(["faults": .array([
            .object(["id": .string("flt_1"), "path": .string("/oauth/token"), "status": .integer(503), "times": .integer(2), "remaining": .integer(1)]),
            .object(["id": .string("flt_2"), "path": .string("/oauth/revoke"), "drop_connection": .bool(true), "times": .integer(1), "remaining": .integer(1)]),
        ])])
        let lines = renderer.render(faults).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.first == ["id", "status", "drop_connection", "path", "remaining", "times"])
        #expect(lines.dropFirst().first == ["flt_1", "503", "-", "/oauth/token", "1", "2"])
        #expect(renderer.render(.object(["faults": .array([])])) == "(none)")
        // Two members are an object, shown field by field.
        #expect(renderer.render(.object(["removed": .integer(1), "ok": .bool(true)])).contains("removed"))
    }

    @Test("JSON output is the exact response")
    func json() throws {
        let text = ResultRenderer(style: OutputStyle(json: true, reveal: false, color: false)).render(response)
        #expect(try JSONValue(parsing: Array(text.utf8)) == response)
    }

    @Test("colour only when asked, and never under NO_COLOR")
    func color() {
        #expect(!OutputStyle.automatic(isTerminal: true, environment: ["NO_COLOR": "1", "TERM": "xterm"]).color)
        #expect(OutputStyle.automatic(isTerminal: true, environment: ["TERM": "xterm"]).color)
        #expect(!OutputStyle.automatic(isTerminal: false, environment: ["TERM": "xterm"]).color)
        #expect(OutputStyle.automatic(isTerminal: false, environment: [:]).json)
        let plain = ResultRenderer(style: OutputStyle(json: false, reveal: false, color: false)).render(.object(["active": .bool(true)]))
        #expect(!plain.contains("\u{1B}"))
    }

    func rows(_ value: JSONValue) -> [[String]] {
        renderer.render(value).split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    }

    @Test("a JSON:API list of a type with no description gets id and its attributes as columns")
    func inferredResourceColumns() throws {
        let document = JSONValue.object([
            "data": .array([
                .object(["type": .string("connection"), "id": .string("conn_a"), "attributes": .object([
                    "name": .string("Demo"), "status": .string("active"), "scopes": .array([.string("read"), .string("write")]),
                    "settings": .object(["x": .integer(1)]),
                ])]),
                .object(["type": .string("connection"), "id": .string("conn_b"), "attributes": .object([
                    "name": .string("Other"), "status": .string("paused"),
                ])]),
            ]),
            "links": .object([:]),
        ])
        #expect(rows(document) == [["id", "name", "status", "scopes"], ["conn_a", "Demo", "active", "read,write"], ["conn_b", "Other", "paused", "-"]])
    }

    @Test("a described list uses its columns; tokens in cells are shortened unless revealed")
    func describedColumns() throws {
        let token = JSONValue.object(["type": .string("connect/share-token"), "id": .string("cnst_1"), "attributes": .object([
            "status": .string("created"), "direction": .string("outbound"), "expires-at": .string("2026-12-20T00:00:00Z"),
        ]), "relationships": .object([
            "source": .object(["data": .object(["type": .string("inquiry"), "id": .string("inq_demo")])]),
            "connection": .object(["data": .object(["type": .string("connect/connection"), "id": .string("cxn_demo")])]),
        ])])
        #expect(rows(.object(["data": .array([token])])) == [
            ["id", "status", "direction", "connection", "source", "expires"],
            ["cnst_1", "created", "outbound", "cxn_demo", "inq_demo", "2026-12-20T00:00:00Z"],
        ])
        let secret = String(repeating: "s", count: 40)
        #expect(!renderer.render(.array([.object(["id": .string("a"), "secret": .string(secret)])])).contains(secret))
    }

    @Test("a single JSON:API resource shows its attributes as rows; an empty list says so")
    func singleResource() throws {
        let document = JSONValue.object(["data": .object(["type": .string("connect/share-token"), "id": .string("cnst_1"), "attributes": .object([
            "status": .string("created"), "source-id": .string("inq_demo"),
        ])])])
        #expect(rows(document) == [["id", "cnst_1"], ["type", "connect/share-token"], ["status", "created"], ["source-id", "inq_demo"]])
        #expect(renderer.render(.object(["data": .array([])])) == "(none)")
    }
}
