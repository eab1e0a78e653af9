import ShareModels

/// An event whose payload is a record (`inquiry.completed`).
struct RecordEventResource: Encodable, Sendable {
    struct Attributes: Encodable, Sendable {
        var name: EventName
        var createdAt: Timestamp
        var payload: JSONAPIDocumentOf<RecordResource>

        enum CodingKeys: String, CodingKey {
            case name
            case createdAt = "created-at"
            case payload
        }
    }

    var type = "event"
    var id: EventID
    var attributes: Attributes
}
