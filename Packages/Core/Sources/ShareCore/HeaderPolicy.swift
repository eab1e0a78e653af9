import Foundation
import NIOCore

/// Which headers cross the gateway, in each direction.
///
/// Requests: hop-by-hop headers (RFC 9110 §7.6.1, plus any the `Connection` header names — never
/// a field the gateway reads: ``InspectedHeaderRules`` refuses those), every client-supplied
/// credential (`PLAID-CLIENT-ID`, `PLAID-SECRET`, `Authorization`, `X-Gateway-Key`, `Cookie`) and
/// the gateway's organization choice (`Share-Organization`), and
/// every name that normalises to one (``CredentialHeaderName``: `PLAID_SECRET`,
/// `X-Plaid-Client-Id`, …), framing and representation the gateway recomputes (`Host`,
/// `Content-Length`, `Expect`, `Content-Type`, `Content-Encoding`: the gateway writes the
/// `Content-Type` of the format it inspected), the client's `X-Request-Id` (replaced by the
/// validated one), every client-supplied forwarding header (`Forwarded`, `X-Forwarded-*`,
/// `X-Real-IP`, `X-Original-*`) and every method or path override (`X-HTTP-Method-Override`,
/// `X-HTTP-Method`, `X-Method-Override`, `X-Rewrite-URL`) are dropped. The gateway's own credentials are then set.
///
/// Responses: hop-by-hop headers and the upstream's `Access-Control-*` headers (CORS is the
/// gateway's decision) are dropped.
///
/// Works on the bytes of the message head (``HTTPMessageHead``): a header that crosses is copied
/// as it arrived, with no string made of it.
public struct HeaderPolicy: Sendable {
    public init() {}

    public static let hopByHopNames = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]
    public static let hopByHop = HeaderNameSet(hopByHopNames)
    /// Request headers the gateway sets itself.
    public static let injectedNames = [
        "plaid-client-id", "plaid-secret", "authorization", "x-request-id", "host", "content-length", "content-type", "content-encoding",
    ]
    public static let droppedFromRequests = HeaderNameSet(
        hopByHopNames + injectedNames + [
            "x-gateway-key", "share-organization", "cookie", "expect", "forwarded", "x-real-ip", "x-client-ip", "true-client-ip",
            // Overrides some frameworks apply to the method or path: the upstream would serve a
            // method or path other than the one the allowlist checked.
            "x-http-method-override", "x-http-method", "x-method-override", "x-rewrite-url",
        ])

    /// Writes the client's headers that may go upstream, as sent.
    public func writeUpstreamHeaders(of head: HTTPMessageHead, into out: inout ByteBuffer) {
        let connectionListed = Self.connectionListed(in: head)
        head.withUnsafeBytes { raw in
            var lines = LineCopier()
            for (index, field) in head.fields.enumerated() {
                let name = HTTPMessageHead.slice(raw, field.nameStart, field.nameEnd)
                let dropped =
                    Self.droppedFromRequests.contains(name) || ASCIICaseInsensitive.hasPrefix(name, "x-forwarded-")
                    || ASCIICaseInsensitive.hasPrefix(name, "x-original-") || connectionListed?.contains(name) == true
                    || CredentialHeaderName.matches(name)
                lines.field(index, of: head, kept: !dropped, raw: raw, into: &out)
            }
            lines.finish(head, raw: raw, into: &out)
        }
    }

    /// Writes the `Content-Type` line of a forwarded body: the format the gateway's filters read
    /// it as, spelled the one way every reader agrees on.
    public static func writeContentType(of format: BodyFormat, into out: inout ByteBuffer) {
        switch format {
        case .json: out.writeStaticString("Content-Type: application/json\r\n")
        case .form: out.writeStaticString("Content-Type: application/x-www-form-urlencoded\r\n")
        }
    }

    /// Writes the upstream response's headers that go back to the client. `Vary` is held back when
    /// `holdingVary` (the CORS headers then write it, merged); returns its values and whether the
    /// upstream set `X-Request-Id`.
    public func writeClientHeaders(of head: HTTPMessageHead, holdingVary: Bool, into out: inout ByteBuffer) -> (vary: String?, hasRequestID: Bool) {
        let connectionListed = Self.connectionListed(in: head)
        var vary: String?
        var hasRequestID = false
        head.withUnsafeBytes { raw in
            var lines = LineCopier()
            for (index, field) in head.fields.enumerated() {
                let name = HTTPMessageHead.slice(raw, field.nameStart, field.nameEnd)
                var kept = !(Self.hopByHop.contains(name) || ASCIICaseInsensitive.hasPrefix(name, "access-control-") || connectionListed?.contains(name) == true)
                if kept && holdingVary && ASCIICaseInsensitive.equals(name, "vary") {
                    let value = String(decoding: HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd), as: UTF8.self)
                    vary = vary.map { $0 + ", " + value } ?? value
                    kept = false
                }
                if kept && ASCIICaseInsensitive.equals(name, "x-request-id") { hasRequestID = true }
                lines.field(index, of: head, kept: kept, raw: raw, into: &out)
            }
            lines.finish(head, raw: raw, into: &out)
        }
        return (vary, hasRequestID)
    }

    /// Copies the kept field lines of a head as they arrived, each run of consecutive kept lines
    /// in one write: a line runs from its name to the start of the next one (or the head's final
    /// CRLF), its line end included.
    private struct LineCopier {
        private var runStart: Int?

        mutating func field(_ index: Int, of head: HTTPMessageHead, kept: Bool, raw: UnsafeRawBufferPointer, into out: inout ByteBuffer) {
            let start = Int(head.fields[index].nameStart)
            if kept {
                if runStart == nil { runStart = start }
            } else if let runStart {
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[runStart..<start]))
                self.runStart = nil
            }
        }

        mutating func finish(_ head: HTTPMessageHead, raw: UnsafeRawBufferPointer, into out: inout ByteBuffer) {
            guard let runStart else { return }
            // The head ends with the last field's CRLF and then the blank line's.
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[runStart..<(raw.count - 2)]))
            self.runStart = nil
        }
    }

    /// The names a `Connection` header lists beyond the hop-by-hop ones, which are dropped anyway;
    /// `nil` for none — the usual `Connection: keep-alive` or `close` builds no set.
    private static func connectionListed(in head: HTTPMessageHead) -> HeaderNameSet? {
        guard let index = head.firstIndex(of: "connection") else { return nil }
        let onlyHopByHop = head.withUnsafeBytes { raw in
            var only = true
            for field in head.fields[index...] where HTTPMessageHead.name(of: field, in: raw, equals: "connection") {
                HTTPMessageHead.forEachListElement(HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd)) { element in
                    if !element.isEmpty && !hopByHop.contains(element) { only = false }
                }
            }
            return only
        }
        if onlyHopByHop { return nil }
        let listed = (head.value("connection") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return HeaderNameSet(listed.filter { !$0.isEmpty && !hopByHop.contains($0) })
    }
}
