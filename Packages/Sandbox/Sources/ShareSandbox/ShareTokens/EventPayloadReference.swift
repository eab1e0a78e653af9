/// The type and id of the resource an event's payload carries: `attributes.payload.data`.
struct EventPayloadReference: Decodable {
    struct Attributes: Decodable {
        var payload: Payload
    }

    struct Payload: Decodable {
        var data: Resource
    }

    struct Resource: Decodable {
        var type: String
        var id: String
    }

    var attributes: Attributes
}
