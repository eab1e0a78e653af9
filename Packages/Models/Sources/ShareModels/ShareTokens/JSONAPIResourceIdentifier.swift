/// A JSON:API resource identifier, `{"type": …, "id": …}`: what a relationship's `data` names.
public struct JSONAPIResourceIdentifier: Hashable, Sendable, Codable, CustomStringConvertible {
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    public var description: String { "\(type) \(id)" }
}
