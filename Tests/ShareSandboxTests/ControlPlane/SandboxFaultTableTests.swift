import ShareWire
import Testing

@testable import ShareSandbox

@Suite("Control plane: the fault table (pure value)")
struct SandboxFaultTableTests {
    static func fault(_ id: String, method: String? = nil, path: String = "/oauth/token", client: String? = nil, times: Int = 1)
        -> SandboxFault
    {
        SandboxFault(id: id, method: method, path: path, clientID: client, status: 503, times: times)
    }

    @Test("a fault matches exactly the method, path and client it names; absent method or client match any")
    func matching() {
        let named = Self.fault("flt_a", method: "POST", client: "lender")
        #expect(named.matches(method: "POST", path: "/oauth/token", clientID: "lender"))
        #expect(!named.matches(method: "GET", path: "/oauth/token", clientID: "lender"))
        #expect(!named.matches(method: "POST", path: "/oauth/token/", clientID: "lender"))
        #expect(!named.matches(method: "POST", path: "/oauth/introspect", clientID: "lender"))
        #expect(!named.matches(method: "POST", path: "/oauth/token", clientID: "other"))
        #expect(!named.matches(method: "POST", path: "/oauth/token", clientID: nil))
        let open = Self.fault("flt_b")
        for method in ["GET", "POST", "DELETE"] {
            #expect(open.matches(method: method, path: "/oauth/token", clientID: nil))
            #expect(open.matches(method: method, path: "/oauth/token", clientID: "anyone"))
        }
    }

    @Test("each take counts down; at zero the fault is removed and the next request runs unfaulted")
    func countdown() {
        var table = SandboxFaultTable()
        table.add(Self.fault("flt_a", times: 3))
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: nil)?.remaining == 2)
        #expect(table.faults.first?.remaining == 2)
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: nil)?.remaining == 1)
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: nil)?.remaining == 0)
        #expect(table.faults.isEmpty)
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: nil) == nil)
    }

    @Test("the oldest matching fault applies first; a non-matching request counts nothing down")
    func order() {
        var table = SandboxFaultTable()
        table.add(Self.fault("flt_lender", client: "lender"))
        table.add(Self.fault("flt_any", times: 2))
        #expect(table.take(method: "POST", path: "/oauth/revoke", clientID: "lender") == nil)
        #expect(table.faults.map(\.remaining) == [1, 2])
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: "other")?.id == "flt_any")
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: "lender")?.id == "flt_lender")
        #expect(table.take(method: "POST", path: "/oauth/token", clientID: "lender")?.id == "flt_any")
        #expect(table.faults.isEmpty)
    }

    @Test("the client is read only when a fault for the method and path names one")
    func needsClientID() {
        var table = SandboxFaultTable()
        table.add(Self.fault("flt_a"))
        #expect(!table.needsClientID(method: "POST", path: "/oauth/token"))
        table.add(Self.fault("flt_b", method: "POST", path: "/oauth/introspect", client: "lender"))
        #expect(table.needsClientID(method: "POST", path: "/oauth/introspect"))
        #expect(!table.needsClientID(method: "GET", path: "/oauth/introspect"))
        #expect(!table.needsClientID(method: "POST", path: "/oauth/token"))
    }

    @Test("a countdown done by the store is settled into the snapshot: remaining set, removed at zero, unknown ids ignored")
    func settling() {
        var table = SandboxFaultTable(faults: [Self.fault("flt_a", times: 3), Self.fault("flt_b", times: 1)])
        #expect(table.firstMatch(method: "POST", path: "/oauth/token", clientID: nil)?.id == "flt_a")
        #expect(table.faults.map(\.remaining) == [3, 1], "firstMatch counts nothing down")
        var taken = Self.fault("flt_a", times: 3)
        taken.remaining = 1
        table.settle(taken)
        #expect(table.faults.map(\.remaining) == [1, 1])
        table.settle(Self.fault("flt_unknown", times: 5))
        #expect(table.faults.map(\.id) == ["flt_a", "flt_b"])
        taken.remaining = 0
        table.settle(taken)
        #expect(table.faults.map(\.id) == ["flt_b"])
        #expect(table.countDown(id: "flt_b")?.remaining == 0)
        #expect(table.countDown(id: "flt_b") == nil)
        #expect(table.faults.isEmpty)
    }

    @Test("a table built from stored faults leaves out those with nothing remaining")
    func fromStoredFaults() {
        var spent = Self.fault("flt_spent", times: 2)
        spent.remaining = 0
        let table = SandboxFaultTable(faults: [spent, Self.fault("flt_live", times: 2)])
        #expect(table.faults.map(\.id) == ["flt_live"])
    }

    @Test("remove takes one fault by id; removeAll tells how many there were")
    func removal() {
        var table = SandboxFaultTable()
        table.add(Self.fault("flt_a"))
        table.add(Self.fault("flt_b"))
        #expect(table.remove(id: "flt_x") == nil)
        #expect(table.remove(id: "flt_a")?.id == "flt_a")
        #expect(table.faults.map(\.id) == ["flt_b"])
        #expect(table.removeAll() == 1)
        #expect(table.faults.isEmpty)
    }

    @Test(
        "a fault request is validated member by member",
        arguments: [
            (#"{"times":1,"status":503}"#, "MISSING_FIELDS"),
            (#"{"path":"/oauth/token","status":503}"#, "MISSING_FIELDS"),
            (#"{"path":"oauth/token","status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token?x=1","status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/sandbox/clock","status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","status":399,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","status":600,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","status":"503","times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","status":503,"times":0}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","status":503,"times":1.5}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","delay_ms":0,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","delay_ms":60001,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","method":"FETCH","status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","method":"post","status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","client_id":"","status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","body":{"a":1},"times":1,"delay_ms":5}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","drop_connection":true,"status":503,"times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","drop_connection":"yes","times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","times":1}"#, "INVALID_FIELD"),
            (#"{"path":"/oauth/token","status":503,"times":1,"retry":true}"#, "UNKNOWN_FIELDS"),
        ])
    func validation(body: String, code: String) throws {
        let object = try WireJSON.decode([String: JSONValue].self, from: Array(body.utf8))
        #expect(throws: PlaidFailure.self) { try SandboxFault(validating: object, id: "flt_x") }
        do {
            _ = try SandboxFault(validating: object, id: "flt_x")
        } catch {
            #expect(error.errorCode == code, "\(body): \(error.message)")
            #expect(error.status == 400)
        }
    }

    @Test("a valid request keeps what it names; null members count as absent")
    func validRequest() throws {
        let body = #"{"method":"POST","path":"/oauth/token","client_id":"lender","status":429,"body":{"x":[1]},"delay_ms":20,"drop_connection":null,"times":2}"#
        let fault = try SandboxFault(validating: try WireJSON.decode([String: JSONValue].self, from: Array(body.utf8)), id: "flt_x")
        #expect(fault == SandboxFault(
            id: "flt_x", method: "POST", path: "/oauth/token", clientID: "lender", status: 429, body: .object(["x": .array([.integer(1)])]),
            delayMilliseconds: 20, dropConnection: false, times: 2))
        #expect(fault.remaining == 2)
    }
}
