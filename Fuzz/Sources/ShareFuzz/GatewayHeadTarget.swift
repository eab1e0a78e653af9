import ShareCore

/// The gateway's request-head handling: for any request head it accepts, what its policy read —
/// the body format, `Origin`, `Content-Encoding`, the preflight method — must be what the upstream
/// reads from the head the gateway forwards (parsed again by the same parser), and the forwarded
/// head must parse, carry one `Host` and at most one `Content-Type`, and hold no credential header
/// or lookalike of one (``GatewayHeadForwarding/isCredentialName(_:)``), no hop-by-hop header, no
/// header the client's `Connection` named. A head refused as ambiguous is refused with a short
/// description that names a field, never a value.
enum GatewayHeadTarget {
    static func run(_ bytes: [UInt8]) {
        switch GatewayHeadForwarding.forward(bytes) {
        case .unparsed:
            return
        case .unparseableForward(let head, let failure):
            FuzzFailure.stop("the forwarded head does not parse (\(failure)): \(String(decoding: head, as: UTF8.self).debugDescription)")
        case .refused(let description):
            FuzzFailure.require(description.utf8.count <= 200, "a refusal description is long: \(description.debugDescription)")
        case .forwarded(let policy, let upstream, let names, let listed, let head):
            let shown = String(decoding: head, as: UTF8.self).debugDescription
            FuzzFailure.require(upstream.bodyFormat == policy.bodyFormat, "body format \(policy.bodyFormat ?? "none") became \(upstream.bodyFormat ?? "none"): \(shown)")
            FuzzFailure.require(upstream.origin == policy.origin, "Origin \(policy.origin ?? "none") became \(upstream.origin ?? "none"): \(shown)")
            FuzzFailure.require(upstream.preflightMethod == policy.preflightMethod, "the preflight method changed: \(shown)")
            FuzzFailure.require(upstream.contentEncoding == nil, "Content-Encoding was forwarded: \(shown)")
            let lowered = names.map { $0.lowercased() }
            FuzzFailure.require(lowered.filter { $0 == "host" }.count == 1, "not exactly one Host: \(shown)")
            FuzzFailure.require(lowered.filter { $0 == "content-type" }.count <= 1, "Content-Type twice: \(shown)")
            for name in lowered where name != "host" && name != "content-type" {
                FuzzFailure.require(!GatewayHeadForwarding.isCredentialName(name), "credential lookalike \(name) forwarded: \(shown)")
                FuzzFailure.require(!GatewayHeadForwarding.droppedNames.contains(name), "\(name) forwarded: \(shown)")
                FuzzFailure.require(!listed.contains(name), "\(name), a Connection option, forwarded: \(shown)")
                FuzzFailure.require(!name.hasPrefix("x-forwarded-"), "\(name) forwarded: \(shown)")
            }
        }
    }
}
