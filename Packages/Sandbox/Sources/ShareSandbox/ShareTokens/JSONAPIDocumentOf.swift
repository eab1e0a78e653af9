/// `{"data": …}` around any encodable resource.
struct JSONAPIDocumentOf<Resource: Encodable & Sendable>: Encodable, Sendable {
    var data: Resource
}
