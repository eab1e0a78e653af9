#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parsers ShareKit fuzzes, one per kind of untrusted input.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `application/x-www-form-urlencoded` bodies through ShareWire's `FormDecoder`.
    case form
    /// JSON bodies of every OAuth and share-token request through `WireJSON`.
    case json
    /// Client credentials from headers, HTTP Basic and body fields, as the sandbox and
    /// ShareCredentials read them.
    case credentials
    /// Removing credential fields from JSON and form bodies (ShareCredentials' placement).
    case bodyCredentials = "body-credentials"
    /// The gateway's request path normaliser.
    case path
    /// The gateway's own removal of credential fields from JSON and form bodies.
    case gatewayBody = "gateway-body"
    /// The gateway's HTTP/1.1 reading: request and response heads, body framing, chunked bodies.
    case http1
    /// The gateway's request-head handling: what its policy reads and what it forwards agree, and
    /// no credential header, lookalike or hop-by-hop header goes upstream.
    case gatewayHead = "gateway-head"

    /// The target named by `SHARE_FUZZ_TARGET`; the process stops with a list of names when it
    /// is missing or unknown.
    static let selected: FuzzTarget = {
        let name = getenv("SHARE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FuzzFailure.stop("set SHARE_FUZZ_TARGET to one of: " + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .form: FormDecoderTarget.run(bytes)
        case .json: JSONRequestTarget.run(bytes)
        case .credentials: CredentialParsingTarget.run(bytes)
        case .bodyCredentials: BodyCredentialTarget.run(bytes)
        case .path: PathNormalizerTarget.run(bytes)
        case .gatewayBody: GatewayBodyTarget.run(bytes)
        case .http1: HTTP1Target.run(bytes)
        case .gatewayHead: GatewayHeadTarget.run(bytes)
        }
    }
}
