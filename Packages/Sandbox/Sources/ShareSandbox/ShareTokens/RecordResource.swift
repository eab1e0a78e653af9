import ShareModels

/// A record on the wire: `{"type":"inquiry","id":"inq_…","attributes":{…}}` (or `transaction`,
/// `account`, `verification`), as `GET /api/v1/inquiries/{id}` answers and as the payload of `inquiry.completed`.
struct RecordResource: Encodable, Sendable {
    var type: String
    var id: SourceID
    var attributes: [String: AttributeValue]

    init(_ record: StoredRecord) {
        type = record.id.kind.resourceType
        id = record.id
        var attributes = record.attributes
        if let sharedFrom = record.sharedFrom { attributes["share-token-id"] = .string(sharedFrom.rawValue) }
        self.attributes = attributes
    }
}
