import ShareModels
import ShareWire

/// What a JSON:API answer should carry besides its primary data, from the query: `include`
/// (related resources for `included`) and sparse fieldsets `fields[TYPE]=a,b`, as Persona's
/// serialization page describes them (<https://docs.withpersona.com/serialization>).
///
/// An include path the resource does not have is 400 with `source.parameter` `include`; a
/// field name a type does not have is ignored, as JSON:API allows.
struct ResourceSelection: Sendable {
    /// The relationship paths to include, in the order asked, without repeats.
    var include: [String] = []
    /// The attributes and relationships to keep, per resource type.
    var fields: [String: Set<String>] = [:]

    /// Reads `include` (checked against `includable`) and `fields[…]` from `parameters`.
    init(_ parameters: QueryParameters, includable: [String]) throws(ShareTokenFailure) {
        if let (name, value) = parameters.value("include") {
            for path in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !path.isEmpty {
                guard includable.contains(path) else {
                    let known = includable.isEmpty ? "nothing can be included here" : "known paths: " + includable.joined(separator: ", ")
                    throw ShareTokenFailure.invalidParameter(name, "include names an unknown relationship path \"\(path.prefix(64))\" (\(known))")
                }
                if !include.contains(path) { include.append(path) }
            }
        }
        for (_, type, value) in parameters.bracketed("fields") {
            fields[type] = Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    /// `resource` as JSON, keeping only the attributes and relationships of `fields[type]` when
    /// that fieldset was asked for.
    func encode(_ resource: some Encodable) throws -> JSONValue {
        let value = try WireJSON.decode(JSONValue.self, from: try WireJSON.encode(resource))
        guard case .object(var object) = value, case .string(let type) = object["type"], let kept = fields[type] else { return value }
        for member in ["attributes", "relationships"] {
            guard case .object(let members) = object[member] else { continue }
            object[member] = .object(members.filter { kept.contains($0.key) })
        }
        return .object(object)
    }

    /// A document of `data` (one resource or a list) with `included` when anything was asked to
    /// be included, and `links` when given.
    func document(data: JSONValue, included: [JSONValue], links: JSONValue? = nil) -> JSONValue {
        var document: [String: JSONValue] = ["data": data]
        if !include.isEmpty {
            var unique: [JSONValue] = []
            for resource in included where !unique.contains(resource) { unique.append(resource) }
            document["included"] = .array(unique)
        }
        if let links { document["links"] = links }
        return .object(document)
    }
}
