/// A JSON:API document with one primary resource: `{"data": …}`.
public struct JSONAPIDocument<Resource: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var data: Resource

    public init(data: Resource) { self.data = data }
}

/// A JSON:API document with a page of resources and pagination links.
public struct JSONAPIListDocument<Resource: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public struct Links: Codable, Sendable, Hashable {
        /// The previous (newer) page, absent on the first one.
        public var prev: String?
        /// The next (older) page, absent on the last one.
        public var next: String?
        public init(prev: String? = nil, next: String? = nil) {
            self.prev = prev
            self.next = next
        }
    }

    public var data: [Resource]
    public var links: Links

    public init(data: [Resource], links: Links = Links()) {
        self.data = data
        self.links = links
    }
}

/// A JSON:API request document: `{"data":{"type":…,"attributes":{…}}}`. `type` is optional on
/// input; an absent `attributes` decodes as the attributes' empty value where it has one.
public struct JSONAPIRequestDocument<Attributes: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public struct Data: Codable, Sendable, Hashable {
        public var type: String?
        public var attributes: Attributes

        public init(type: String? = nil, attributes: Attributes) {
            self.type = type
            self.attributes = attributes
        }
    }

    public var data: Data

    public init(type: String? = nil, attributes: Attributes) {
        data = Data(type: type, attributes: attributes)
    }
}

/// One JSON:API error object.
public struct JSONAPIError: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Where in the request document the problem is.
    public struct Source: Codable, Sendable, Hashable {
        /// A JSON pointer, e.g. `/data/attributes/expires-in-seconds`.
        public var pointer: String?
        /// A query parameter, e.g. `page[size]`.
        public var parameter: String?
        /// A request header, e.g. `Idempotency-Key` (JSON:API 1.1's `source.header`).
        public var header: String?

        public init(pointer: String? = nil, parameter: String? = nil, header: String? = nil) {
            self.pointer = pointer
            self.parameter = parameter
            self.header = header
        }
    }

    /// The HTTP status, as a string (JSON:API's convention).
    public var status: String
    /// A short, stable summary, e.g. "Invalid attribute".
    public var title: String
    /// What exactly is wrong: Persona's error objects call it `details`
    /// (https://docs.withpersona.com/errors).
    public var details: String?
    public var source: Source?

    public init(status: Int, title: String, details: String? = nil, source: Source? = nil) {
        self.status = String(status)
        self.title = title
        self.details = details
        self.source = source
    }

    public var description: String {
        var text = "\(status) \(title)"
        if let details { text += ": \(details)" }
        if let pointer = source?.pointer ?? source?.parameter ?? source?.header { text += " (\(pointer))" }
        return text
    }
}

/// A JSON:API error document: `{"errors":[…]}`.
public struct JSONAPIErrorDocument: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    public var errors: [JSONAPIError]

    public init(errors: [JSONAPIError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
