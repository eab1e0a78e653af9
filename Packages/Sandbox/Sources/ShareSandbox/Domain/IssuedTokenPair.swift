/// A freshly issued access and refresh token, in plain text: the only moment they exist so.
public struct IssuedTokenPair: Sendable, CustomStringConvertible {
    /// `pda-…`
    public var accessToken: String
    /// `pdr-…`
    public var refreshToken: String
    /// Seconds until the access token expires.
    public var expiresIn: Int

    public var description: String { "IssuedTokenPair(access_token: pda-<redacted>, refresh_token: pdr-<redacted>, expires_in: \(expiresIn))" }
}
