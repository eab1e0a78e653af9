import NIOCore
import ShareCore
import ShareWire

/// The gateway's credential filters. The first byte picks JSON (even) or form (odd); the rest is
/// the body. Whatever the gateway forwards must carry no credential field that the upstream's
/// decoder (ShareWire, as the sandbox uses it) would read — escaped keys, duplicates and odd
/// nesting included — and filtering the forwarded body again must change nothing.
enum GatewayBodyTarget {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        let json = selector % 2 == 0
        guard let forwarded = filter(body, json: json) else { return }
        let format: WireFormat = json ? .json : .form
        if let probe = try? format.decode(CredentialFieldProbe.self, from: forwarded) {
            FuzzFailure.require(probe.present.isEmpty, "the gateway forwards credential fields \(probe.present) in a \(format) body")
        }
        let again = filter(forwarded, json: json)
        FuzzFailure.require(again == forwarded, "filtering a forwarded \(format) body again changed it")
    }

    /// The body the gateway would forward, or `nil` when it refuses the body.
    static func filter(_ bytes: [UInt8], json: Bool) -> [UInt8]? {
        let buffer = ByteBuffer(bytes: bytes)
        let inspected = json ? try? JSONCredentialFilter().inspect(buffer) : try? FormCredentialFilter().inspect(buffer)
        return inspected.map { Array(buffer: $0.body) }
    }
}
