/// The rules that keep what the gateway inspects and what it forwards the same message: a request
/// whose head could be read two ways is refused (400 `invalid_request`) before any decision is
/// taken on it.
///
/// - **No end-to-end field the gateway reads may be a connection option.** `Connection` names
///   headers to remove before forwarding (RFC 9110 §7.6.1), and the gateway honours it for other
///   names; but a decision taken on a header that is then removed no longer describes what goes
///   upstream. `Connection: Content-Type` once made the gateway filter a body as a form while the
///   upstream, seeing no `Content-Type`, read it as JSON — past the credential filter and the
///   audience allowlist. RFC 9110 §7.6.1 forbids a sender to list end-to-end fields there, so
///   such a request is malformed rather than something to repair: ``readFields`` may not be listed.
/// - **A field the gateway reads as one value may appear once.** Two `Content-Type` (or `Origin`,
///   `X-Gateway-Key`, `Host`, …) lines leave it to each reader which one counts.
///
/// Works on the bytes of the head, like ``HeaderPolicy``; `nil` means the head is unambiguous.
public enum InspectedHeaderRules {
    /// The request headers a gateway decision reads, each as a single value, as they are named
    /// in a refusal: the body's representation (`Content-Type`, `Content-Encoding`), the browser
    /// checks (`Origin`, the preflight's `Access-Control-Request-Method`), the console origin
    /// check (`Host`), the frontend key, the request id, `Expect` and `Authorization` (the metrics
    /// token), and `Share-Organization` (whose API key the gateway injects).
    public static let singleValuedNames = [
        "Host", "Content-Type", "Content-Encoding", "Origin", "X-Gateway-Key", "X-Request-Id", "Expect",
        "Access-Control-Request-Method", "Authorization", "Share-Organization",
    ]
    /// Every end-to-end header a decision reads: the single-valued ones, the framing headers and
    /// the preflight's header list.
    public static let readFields = HeaderNameSet(singleValuedNames + ["Content-Length", "Transfer-Encoding", "Access-Control-Request-Headers"])
    /// ``singleValuedNames`` as lowercase bytes, in the same order.
    private static let singleValuedBytes = singleValuedNames.map { Array($0.lowercased().utf8) }

    /// Why `head` is ambiguous, for the client (it names the field, never a value), or `nil`.
    public static func refusal(for head: HTTPMessageHead) -> String? {
        head.withUnsafeBytes { raw -> String? in
            var seen = 0  // bit i: singleValuedNames[i] was seen
            for field in head.fields {
                let name = HTTPMessageHead.slice(raw, field.nameStart, field.nameEnd)
                if ASCIICaseInsensitive.equals(name, "connection") {
                    var listed: String?
                    HTTPMessageHead.forEachListElement(HTTPMessageHead.slice(raw, field.valueStart, field.valueEnd)) { element in
                        if listed == nil && readFields.contains(element) { listed = String(decoding: element, as: UTF8.self) }
                    }
                    if let listed {
                        return "Connection may not list \(listed): the gateway reads that field, so it must reach the upstream as sent (RFC 9110 §7.6.1)"
                    }
                    continue
                }
                for (position, candidate) in singleValuedBytes.enumerated() where candidate.count == name.count {
                    guard candidate.withUnsafeBytes({ ASCIICaseInsensitive.equals(name, $0) }) else { continue }
                    if seen & (1 << position) != 0 { return "\(singleValuedNames[position]) is given more than once" }
                    seen |= 1 << position
                }
            }
            return nil
        }
    }
}
