import Testing

@testable import ShareGateway

@Suite("RequestID")
struct RequestIDTests {
    @Test("generated ids are 15 acceptable characters and never repeat")
    func generatedIDs() {
        let ids = (0..<10_000).map { _ in RequestID.generate() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 15 && RequestID.isAcceptable($0) })
    }

    @Test("a client's well-formed id is kept; anything else is replaced")
    func resolve() {
        #expect(RequestID.resolve("client-req.1:a_b") == "client-req.1:a_b")
        for bad in ["", "has space", "new\nline", "semi;colon", String(repeating: "a", count: 129), "é"] {
            let resolved = RequestID.resolve(bad)
            #expect(resolved != bad)
            #expect(resolved.utf8.count == 15)
        }
        #expect(RequestID.resolve(nil).utf8.count == 15)
    }
}
