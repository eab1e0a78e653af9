import ShareModels

/// A record on the wire: `{"type":"inquiry","id":"inq_…","attributes":{…}}` (or `transaction`,
/// `account`), as `GET /api/v1/inquiries/{id}` answers and as the payload of `inquiry.completed`.
struct RecordResource: Encodable, Sendable {
    var type: String
    var id: SourceID
    var attributes: [String: AttributeValue]

    init(_ record: StoredRecord) {
        type = Self.resourceType(of: record.id.kind)
        id = record.id
        var attributes = record.attributes
        if let sharedFrom = record.sharedFrom { attributes["share-token-id"] = .string(sharedFrom.rawValue) }
        self.attributes = attributes
    }

    /// The JSON:API type of a kind of record.
    static func resourceType(of kind: SourceID.Kind) -> String {
        switch kind {
        case .inquiry: "inquiry"
        case .transaction: "transaction"
        case .account: "account"
        }
    }
}
