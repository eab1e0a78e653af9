import ShareCore

/// Decodes only which credential fields a body carries as strings — what a server reading
/// `client_id`, `secret` or `client_secret` would actually take — whatever else it holds.
struct CredentialFieldProbe: Decodable {
    var present: [String]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        present = CredentialField.names.filter { name in
            (try? container.decodeIfPresent(String.self, forKey: Key(stringValue: name))) != nil
        }
    }
}
