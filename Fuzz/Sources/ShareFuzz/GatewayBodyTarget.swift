import MirroredGatewayFilters
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
        guard let forwarded = json ? GatewayBodyFilters.filterJSON(body) : GatewayBodyFilters.filterForm(body) else { return }
        let format: WireFormat = json ? .json : .form
        if let probe = try? format.decode(CredentialFieldProbe.self, from: forwarded) {
            FuzzFailure.require(probe.present.isEmpty, "the gateway forwards credential fields \(probe.present) in a \(format) body")
        }
        let again = json ? GatewayBodyFilters.filterJSON(forwarded) : GatewayBodyFilters.filterForm(forwarded)
        FuzzFailure.require(again == forwarded, "filtering a forwarded \(format) body again changed it")
    }
}
