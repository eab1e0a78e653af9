import ShareCore
import ShareCredentials

/// Client credentials as a request presents them. The input is split at NUL bytes into
/// `PLAID-CLIENT-ID`, `PLAID-SECRET`, `Authorization`, body `client_id`, `secret`, `client_secret`.
/// A first byte of `B` makes the rest the decoded `id:secret` of a Basic header instead, so the
/// fuzzer reaches the form-url-decoding behind the Base64.
enum CredentialParsingTarget {
    static func run(_ bytes: [UInt8]) {
        if bytes.first == UInt8(ascii: "B") {
            basic(decoded: Array(bytes.dropFirst()))
            return
        }
        let parts = bytes.split(separator: 0, maxSplits: 5, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        func part(_ index: Int) -> String? { index < parts.count ? parts[index] : nil }
        var presented = PresentedCredentials()
        presented.addHeaders(clientID: part(0), secret: part(1))
        if let authorization = part(2) {
            presented.addAuthorization(authorization)
            header(authorization)
        }
        presented.addBody(clientID: part(3), secret: part(4), clientSecret: part(5))
        let secrets = [part(1), part(4), part(5)].compactMap { $0 } + presented.sources.flatMap(\.secretCandidates)
        checkRedacted(presented.description, secrets: secrets, ids: presented.sources.compactMap(\.clientID))
    }

    /// A Basic header whose decoded text is `decoded`.
    private static func basic(decoded: [UInt8]) {
        let value = "Basic " + Base64.encode(decoded)
        header(value)
        var presented = PresentedCredentials()
        presented.addAuthorization(value)
        checkRedacted(presented.description, secrets: presented.sources.flatMap(\.secretCandidates), ids: presented.sources.compactMap(\.clientID))
    }

    /// ShareCredentials' Basic parser: both readings of `+`, the candidate list, and the round
    /// trip through ``BasicAuthorization/headerValue(for:)``.
    private static func header(_ value: String) {
        _ = BasicAuthorization.isBasic(value)
        _ = try? BasicAuthorization.parse(value, plus: .literal)
        _ = try? BasicAuthorization.candidates(value)
        guard let credentials = try? BasicAuthorization.parse(value) else { return }
        let again = try? BasicAuthorization.parse(BasicAuthorization.headerValue(for: credentials))
        FuzzFailure.require(again == credentials, "Basic credentials changed across headerValue(for:) and parse")
        checkRedacted(credentials.description, secrets: [credentials.secret.revealed], ids: [credentials.clientID])
        do {
            _ = try BasicAuthorization.parse(value)
        } catch {
            FuzzFailure.stop("parse is not deterministic")
        }
    }

    /// A description names client ids but never a secret. Secrets short enough to occur by chance
    /// in the fixed wording, or inside an id, cannot be told apart and are skipped.
    ///
    /// Compares UTF-8 bytes: Foundation's `String.contains(_:)` traps on Linux when the needle
    /// holds NUL and the haystack is not ASCII (`"ÿ\u{0}".contains("\u{0}\u{0}")`), which this
    /// target found in its own first version.
    ///
    /// The client ids are cut out of the description first: an id next to the fixed wording can
    /// spell a secret that shares its bytes (`id "c\u{FFFD}"` + `", "`).
    private static func checkRedacted(_ description: String, secrets: [String], ids: [String]) {
        var scrubbed = Array(description.utf8)
        for id in ids.sorted(by: { $0.utf8.count > $1.utf8.count }) where !id.isEmpty {
            scrubbed = cut(Array(id.utf8), from: scrubbed)
        }
        let text = String(decoding: scrubbed, as: UTF8.self)
        for secret in secrets where secret.utf8.count >= 8 && !ids.contains(where: { holds($0, secret) }) {
            FuzzFailure.require(!holds(text, secret), "a description shows a secret")
        }
    }

    /// `bytes` with every occurrence of `needle` replaced by a NUL byte.
    private static func cut(_ needle: [UInt8], from bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + needle.count <= bytes.count, bytes[index..<(index + needle.count)].elementsEqual(needle) {
                output.append(0)
                index += needle.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    private static func holds(_ haystack: String, _ needle: String) -> Bool {
        let haystack = Array(haystack.utf8), needle = Array(needle.utf8)
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
