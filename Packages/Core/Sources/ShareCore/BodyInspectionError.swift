/// Why a request body could not be inspected; answered 400 `invalid_request`. Never quotes the body.
public enum BodyInspectionError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidJSON(offset: Int)
    case notAnObject
    case tooDeep
    case invalidForm
    case duplicateField(String)
    case nonStringField(String)

    public var description: String {
        switch self {
        case .invalidJSON(let offset): "the JSON body is malformed (at byte \(offset))"
        case .notAnObject: "the JSON body must be an object"
        case .tooDeep: "the JSON body is nested too deeply"
        case .invalidForm: "the form body contains a malformed percent-escape"
        case .duplicateField(let name): "the body names \(name) more than once"
        case .nonStringField(let name): "\(name) must be a string"
        }
    }
}
