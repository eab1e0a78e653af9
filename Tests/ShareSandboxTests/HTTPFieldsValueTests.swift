import HTTPTypes
import Testing

@testable import ShareSandbox

@Suite("HTTPFields.value(of:): the subscript's answer in one pass")
struct HTTPFieldsValueTests {
    static let plaidClientID = HTTPField.Name("PLAID-CLIENT-ID")!

    @Test("answers what the subscript answers", arguments: [
        [:],
        [.contentType: "application/json"],
        [.accept: "*/*", .contentType: "application/json; charset=utf-8"],
    ] as [HTTPFields])
    func sameAsSubscript(fields: HTTPFields) {
        for name in [HTTPField.Name.contentType, .accept, .authorization, .cookie, Self.plaidClientID] {
            #expect(fields.value(of: name) == fields[name], "\(name)")
        }
    }

    @Test("a name matches in any case, as the subscript's does")
    func caseInsensitiveName() {
        let fields: HTTPFields = [HTTPField.Name("plaid-client-id")!: "client"]
        #expect(fields.value(of: Self.plaidClientID) == "client")
        #expect(fields[Self.plaidClientID] == "client")
    }

    @Test("a repeated field is joined as the subscript joins it: `, `, and `; ` for cookies")
    func repeatedFields() {
        var fields = HTTPFields()
        fields.append(HTTPField(name: Self.plaidClientID, value: "first"))
        fields.append(HTTPField(name: .accept, value: "*/*"))
        fields.append(HTTPField(name: Self.plaidClientID, value: "second"))
        fields.append(HTTPField(name: .cookie, value: "a=1"))
        fields.append(HTTPField(name: .cookie, value: "b=2"))
        #expect(fields.value(of: Self.plaidClientID) == "first, second")
        #expect(fields.value(of: .cookie) == "a=1; b=2")
        #expect(fields.value(of: .accept) == "*/*")
        for name in [Self.plaidClientID, .cookie, .accept, .authorization] {
            #expect(fields.value(of: name) == fields[name], "\(name)")
        }
    }

    @Test("an empty value is a value, not an absence")
    func emptyValue() {
        let fields: HTTPFields = [.authorization: ""]
        #expect(fields.value(of: .authorization) == "")
    }
}
