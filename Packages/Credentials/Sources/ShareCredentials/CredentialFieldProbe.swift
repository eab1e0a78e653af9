import ShareWire

/// Which credential fields (`client_id`, `secret`, `client_secret`) a JSON object body names at
/// its top level, read the way a server reads its own fields: without decoding the other members.
///
/// ``BodyCredentialEditor`` rebuilds JSON bodies from a full decode, which fails on members a
/// server never looks at (a number beyond `Double`, a key that is not UTF-8 deep inside); such a
/// body would otherwise go out with its credential fields intact (found by fuzzing).
struct CredentialFieldProbe: Decodable {
    /// The credential fields present.
    var names: [String]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        names = CredentialPlacement.bodyFieldNames.sorted().filter { container.contains(Key(stringValue: $0)) }
    }

    /// Whether `bytes` is a JSON object naming a credential field at its top level.
    static func namesCredentials(_ bytes: [UInt8]) -> Bool {
        guard let probe = try? WireJSON.decode(CredentialFieldProbe.self, from: bytes) else { return false }
        return !probe.names.isEmpty
    }
}
