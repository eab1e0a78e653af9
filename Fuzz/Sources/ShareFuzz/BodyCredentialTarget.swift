import HTTPTypes
import ShareCredentials
import ShareWire

/// Stripping credentials from a body, as the client and gateway do before adding their own.
/// The first byte picks the declared `Content-Type` (JSON, form, none, or another type); the
/// rest is the body. Whatever the body, afterwards no credential field may remain in it.
enum BodyCredentialTarget {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        var request = HTTPRequest(method: .post, scheme: "http", authority: "fuzz", path: "/oauth/token")
        switch selector % 4 {
        case 0: request.headerFields[.contentType] = "application/json"
        case 1: request.headerFields[.contentType] = "application/x-www-form-urlencoded"
        case 2: break
        default: request.headerFields[.contentType] = "text/plain"
        }
        request.headerFields[.authorization] = "Basic Zm9vOmJhcg=="
        var body: [UInt8]? = Array(bytes.dropFirst())
        do {
            try CredentialPlacement.removeCredentials(from: &request, body: &body)
        } catch {
            return
        }
        FuzzFailure.require(request.headerFields[.authorization] == nil, "Authorization survived removal")
        guard let body, let format = request.headerFields[.contentType].flatMap(WireFormat.init(contentType:)) else { return }
        if let probe = try? format.decode(CredentialFieldProbe.self, from: body) {
            FuzzFailure.require(probe.present.isEmpty, "credential fields survived removal: \(probe.present)")
        }
        // With a placement, the gateway's own credentials are the only ones left.
        var placed: [UInt8]? = body
        let credentials = ClientCredentials(clientID: "fuzz-client", secret: "fuzz-secret")
        do {
            try CredentialPlacement.body().apply(credentials, to: &request, body: &placed)
        } catch {
            return
        }
        if let placed, let pairs = try? format.decode([String: StringOrOther].self, from: placed) {
            FuzzFailure.require(pairs["client_id"] == .string("fuzz-client"), "placed client_id is not ours")
            FuzzFailure.require(pairs["secret"] == .string("fuzz-secret"), "placed secret is not ours")
        }
    }

    /// A JSON or form value that is either a string or anything else.
    enum StringOrOther: Decodable, Equatable {
        case string(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = (try? container.decode(String.self)).map(StringOrOther.string) ?? .other
        }
    }
}
