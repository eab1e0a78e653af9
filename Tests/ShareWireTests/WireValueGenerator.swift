import ShareModels
import ShareTestSupport

/// Generates the values the property tests round-trip: strings that stress the codecs (spaces,
/// `+`, `%`, `&`, `=`, brackets, quotes, non-ASCII, emoji) and whole requests and responses.
struct WireValueGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// Characters chosen to hit every escaping rule of both codecs.
    static let alphabet: [Character] = Array(
        "abcXYZ019 _-.*~+%&=;:/?#[]@!$'()\",\\\t\né漢字🙂\u{0}\u{7F}\u{80}\u{FFFD}"
    )
    /// Characters safe inside a scope or audience member (no separators or whitespace).
    static let tokenAlphabet: [Character] = Array("abcdefXYZ0189_-.:/%+=&éü🙂")

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func bool() -> Bool { Bool.random(using: &random) }

    /// A string of 0…`maximumLength` characters from `alphabet`.
    mutating func string(maximumLength: Int = 24, from alphabet: [Character] = alphabet, minimumLength: Int = 0) -> String {
        let length = int(minimumLength...maximumLength)
        return String((0..<length).map { _ in alphabet[int(0...(alphabet.count - 1))] })
    }

    /// A non-empty string, or `nil` half of the time.
    mutating func optionalString() -> String? {
        bool() ? string(minimumLength: 1) : nil
    }

    mutating func scopeSet() -> ScopeSet {
        let documented = Scope.documented
        return ScopeSet(
            (0..<int(1...4)).map { _ in
                bool() ? documented[int(0...(documented.count - 1))] : Scope(rawValue: string(maximumLength: 12, from: Self.tokenAlphabet, minimumLength: 1))
            }
        )
    }

    mutating func audience() -> Audience {
        let members = (0..<int(1...3)).map { _ in
            bool()
                ? Audience.Member(rawValue: Audience.Member.craPartnerURNPrefix + ["experian", "fannie-mae", "freddie-mac"][int(0...2)])
                : Audience.Member.client(string(maximumLength: 24, from: Self.tokenAlphabet, minimumLength: 1))
        }
        return Audience(members)!
    }

    mutating func tokenRequest() -> OAuthTokenRequest {
        let grants = GrantType.documented + [GrantType(rawValue: string(maximumLength: 16, minimumLength: 1))]
        let subjectTypes = SubjectTokenType.documented + [SubjectTokenType(rawValue: string(maximumLength: 16, minimumLength: 1))]
        return OAuthTokenRequest(
            grantType: grants[int(0...(grants.count - 1))],
            clientID: optionalString(),
            secret: optionalString(),
            clientSecret: optionalString(),
            scope: bool() ? scopeSet() : nil,
            refreshToken: optionalString(),
            resource: optionalString(),
            audience: bool() ? audience() : nil,
            subjectToken: optionalString(),
            subjectTokenType: bool() ? subjectTypes[int(0...(subjectTypes.count - 1))] : nil
        )
    }

    mutating func introspectRequest() -> OAuthIntrospectRequest {
        OAuthIntrospectRequest(token: string(), clientID: optionalString(), secret: optionalString(), clientSecret: optionalString())
    }

    mutating func revokeRequest() -> OAuthRevokeRequest {
        OAuthRevokeRequest(token: string(), clientID: optionalString(), secret: optionalString(), clientSecret: optionalString())
    }

    mutating func userCreateRequest() -> UserCreateRequest {
        UserCreateRequest(clientUserID: string(), clientID: optionalString(), secret: optionalString())
    }

    mutating func tokenResponse() -> OAuthTokenResponse {
        OAuthTokenResponse(
            accessToken: string(), refreshToken: string(), tokenType: string(), expiresIn: int(Int.min...Int.max),
            requestID: string()
        )
    }

    mutating func introspectResponse() -> OAuthIntrospectResponse {
        OAuthIntrospectResponse(
            active: bool(), scope: bool() ? scopeSet() : nil, clientID: optionalString(),
            exp: bool() ? int(0...4_000_000_000) : nil, iat: bool() ? int(0...4_000_000_000) : nil,
            sub: optionalString(), aud: optionalString(), iss: optionalString(), tokenType: optionalString(),
            userID: optionalString(), requestID: string()
        )
    }

    mutating func errorResponse() -> OAuthErrorResponse {
        OAuthErrorResponse(
            error: OAuthErrorCode(rawValue: string(minimumLength: 1)), errorDescription: optionalString(),
            errorURI: optionalString(), requestID: optionalString()
        )
    }

    mutating func sample() -> CodecSample {
        CodecSample(
            text: string(),
            optionalText: optionalString(),
            integer: int(Int.min...Int.max),
            small: Int8.random(in: .min ... .max, using: &random),
            unsigned: UInt64.random(in: .min ... .max, using: &random),
            fraction: Double.random(in: -1e12...1e12, using: &random),
            flag: bool(),
            optionalFlag: bool() ? bool() : nil,
            tags: (0..<int(0...4)).map { _ in string() },
            optionalTags: (0..<int(0...4)).map { _ in optionalString() },
            counts: (0..<int(0...4)).map { _ in int(-1000...1000) },
            nested: CodecSample.Inner(name: string(), level: int(0...9), note: optionalString()),
            items: (0..<int(0...3)).map { _ in CodecSample.Inner(name: string(), level: int(-5...5), note: optionalString()) },
            table: Dictionary(
                (0..<int(0...3)).map { _ in (string(maximumLength: 8, from: Self.tokenAlphabet, minimumLength: 1), int(0...99)) },
                uniquingKeysWith: { first, _ in first }
            )
        )
    }
}

/// A value with every shape the form codec supports, for the property tests.
struct CodecSample: Codable, Hashable {
    struct Inner: Codable, Hashable {
        var name: String
        var level: Int
        var note: String?
    }

    var text: String
    var optionalText: String?
    var integer: Int
    var small: Int8
    var unsigned: UInt64
    var fraction: Double
    var flag: Bool
    var optionalFlag: Bool?
    var tags: [String]
    var optionalTags: [String?]
    var counts: [Int]
    var nested: Inner
    var items: [Inner]
    var table: [String: Int]
}
