/// Recognises request header names that an upstream could read as a credential, however they are
/// spelled: `PLAID-SECRET`, `Plaid_Secret`, `PLAID_CLIENT_ID`, `X-Plaid-Client-Id`,
/// `HTTP_X_API_KEY`, `X-Authorization`.
///
/// CGI, WSGI and Rack turn a header name into an environment key by upper-casing it and replacing
/// `-` with `_` (so `PLAID_SECRET` and `PLAID-SECRET` become the same `HTTP_PLAID_SECRET`), and
/// many frameworks look a header up under several spellings, with or without an `X-` prefix. The
/// gateway cannot know how its upstream reads names, so it drops every header whose name
/// normalises to a credential's:
///
/// 1. ASCII lower-case, with every `-`, `_` and `.` removed (`PLAID_CLIENT_ID` → `plaidclientid`);
/// 2. a leading `http` (a CGI-style key sent as a name) is removed, then a leading `x`, then a
///    leading `plaid` (`HTTP_X_PLAID_SECRET` → `secret`);
/// 3. what is left is one of ``normalizedCredentials``: `clientid`, `secret`, `clientsecret`,
///    `authorization`, `proxyauthorization`, `cookie`, `gatewaykey`, `apikey`, `accesstoken`.
///
/// Each strip applies only when something is left, so a header named `X` or `Plaid` is kept.
/// Hand-written on the bytes, without building a string: it runs for every header of every
/// forwarded request.
public enum CredentialHeaderName {
    /// The credential names, normalised.
    public static let normalizedCredentials = HeaderNameSet([
        "clientid", "secret", "clientsecret", "authorization", "proxyauthorization", "cookie", "gatewaykey", "apikey", "accesstoken",
    ])

    /// The longest name worth normalising: longer ones cannot match a credential after the
    /// prefixes are removed.
    private static let longestNormalized = 40

    /// Whether `name` normalises to a credential header's name.
    public static func matches(_ name: UnsafeRawBufferPointer) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longestNormalized) { normalized in
            var count = 0
            for byte in name {
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") { continue }
                guard count < longestNormalized else { return false }
                normalized[count] = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
                count += 1
            }
            var start = 0
            for prefix in ["http", "x", "plaid"] as [StaticString] {
                let length = prefix.utf8CodeUnitCount
                guard count - start > length else { continue }
                var matchesPrefix = true
                for offset in 0..<length where normalized[start + offset] != prefix.utf8Start[offset] {
                    matchesPrefix = false
                    break
                }
                if matchesPrefix { start += length }
            }
            let rest = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(normalized)[start..<count])
            return normalizedCredentials.contains(rest)
        }
    }

    /// Whether `name` normalises to a credential header's name.
    public static func matches(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }
}
