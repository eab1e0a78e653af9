import Foundation
import NIOCore
import ShareCore

/// The gateway's request-head handling (ShareCore's ``InspectedHeaderRules``, ``HeaderPolicy``,
/// ``BodyFormat`` and ``CredentialHeaderName``, which the gateway runs on every request) as the
/// fuzz harness drives it: what the policy reads from a client's head, and the head the gateway
/// would send upstream for it.
enum GatewayHeadForwarding {
    /// The fields a gateway decision reads, as the policy reads them.
    struct PolicyView: Equatable, Sendable {
        /// `json`, `form`, or `nil` for a type the gateway refuses (415).
        let bodyFormat: String?
        let origin: String?
        let contentEncoding: String?
        let preflightMethod: String?

        init(_ head: HTTPMessageHead) {
            bodyFormat = BodyFormat(contentTypeOf: head).map { $0 == .json ? "json" : "form" }
            origin = head.value("origin")
            contentEncoding = head.value("content-encoding")
            preflightMethod = head.value("access-control-request-method")
        }
    }

    enum Outcome {
        /// Not a request head the gateway parses.
        case unparsed
        /// Refused as ambiguous (400), with the description the client gets.
        case refused(String)
        /// Forwarded: what the policy read from the client's head, what the upstream reads from
        /// the forwarded one (parsed again by the same parser), the forwarded field names, the
        /// names the client's `Connection` listed, and the forwarded head itself.
        case forwarded(policy: PolicyView, upstream: PolicyView, forwardedNames: [String], connectionListed: [String], forwardedHead: [UInt8])
        /// The forwarded head does not parse: a bug by itself.
        case unparseableForward(forwardedHead: [UInt8], failure: String)
    }

    /// Parses `bytes` as one request head and runs it through the gateway's head handling; the
    /// forwarded head is written as ``ForwardingPolicy`` writes it (request line, `Host`, the
    /// client's kept fields, the inspected format's `Content-Type`), without the credentials.
    /// The head is what ``HTTPHeadParser/headLength(of:scanned:limit:)`` measures at the start of
    /// `bytes` followed by a blank line, so that any input names some head.
    static func forward(_ bytes: [UInt8]) -> Outcome {
        var storage: [HTTPMessageHead.Field] = []
        let request: ParsedRequestHead
        do {
            let input = ByteBuffer(bytes: bytes + Array("\r\n\r\n".utf8))
            var scanned = 0
            guard let length = try HTTPHeadParser.headLength(of: input, scanned: &scanned, limit: 32 * 1024) else { return .unparsed }
            request = try HTTPHeadParser.parseRequest(input.getSlice(at: input.readerIndex, length: length)!, fieldStorage: &storage)
        } catch {
            return .unparsed
        }
        if let refusal = InspectedHeaderRules.refusal(for: request.head) { return .refused(refusal) }
        let policy = PolicyView(request.head)
        var out = ByteBuffer()
        out.writeString("POST /oauth/token HTTP/1.1\r\nHost: upstream.test\r\n")
        HeaderPolicy().writeUpstreamHeaders(of: request.head, into: &out)
        if let format = BodyFormat(contentTypeOf: request.head) { HeaderPolicy.writeContentType(of: format, into: &out) }
        out.writeString("\r\n")
        let forwardedHead = Array(buffer: out)
        let forwarded: ParsedRequestHead
        do {
            forwarded = try HTTPHeadParser.parseRequest(out, fieldStorage: &storage)
        } catch {
            return .unparseableForward(forwardedHead: forwardedHead, failure: "\(error)")
        }
        let names = forwarded.head.fields.indices.map { forwarded.head.name(at: $0) }
        var listed: [String] = []
        for index in request.head.fields.indices where request.head.name(at: index).lowercased() == "connection" {
            listed += request.head.value(at: index).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        }
        return .forwarded(policy: policy, upstream: PolicyView(forwarded.head), forwardedNames: names, connectionListed: listed, forwardedHead: forwardedHead)
    }

    /// Whether `name` would be dropped as a credential or a lookalike of one.
    static func isCredentialName(_ name: String) -> Bool {
        CredentialHeaderName.matches(name)
    }

    /// The names the gateway sets itself or always drops from requests, lower-case.
    static let droppedNames: Set<String> = Set(HeaderPolicy.hopByHopNames + HeaderPolicy.injectedNames + ["x-gateway-key", "cookie", "expect", "forwarded"])
}
