/// Why the gateway refused a request path. The description never repeats the path.
public enum PathNormalizationError: Error, Hashable, Sendable, CustomStringConvertible {
    case notAbsolute
    case tooLong
    case nul
    case encodedNUL
    case encodedSlash
    case backslash
    case malformedEscape
    case invalidCharacter
    case dotDotSegment

    public var description: String {
        switch self {
        case .notAbsolute: "the path must start with \"/\""
        case .tooLong: "the path is too long"
        case .nul, .encodedNUL: "the path contains a NUL byte"
        case .encodedSlash: "the path contains an encoded slash (%2F)"
        case .backslash: "the path contains a backslash"
        case .malformedEscape: "the path contains a malformed percent-escape"
        case .invalidCharacter: "the path contains a character that is not allowed in a URL path"
        case .dotDotSegment: "the path contains a \"..\" segment"
        }
    }
}
