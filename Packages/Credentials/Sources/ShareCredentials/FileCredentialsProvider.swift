import Foundation
import ShareWire

/// Credentials from a file that only its owner can read.
///
/// Two layouts are understood, told apart by the first non-blank character:
/// - JSON: `{"client_id": "…", "secret": "…"}` (`client_secret` is accepted for `secret`; an
///   `api_key` field holds an API key);
/// - `.env`: `KEY=value` lines with `PLAID_CLIENT_ID`, `PLAID_SECRET` and `SHARE_API_KEY`;
///   blank lines and `#` comments are skipped, `export ` is allowed, and values may be quoted.
///
/// A missing file means "no credentials here". A file its group or others may access (any of the
/// mode bits `0o077`) is refused with ``CredentialsError/Code/insecureFile`` before it is read, as
/// `ssh` does for private keys. Errors name the file and the line or field, never a value.
public struct FileCredentialsProvider: CredentialsProvider {
    /// The file's path.
    public let path: String

    public init(path: String) { self.path = path }

    public func clientCredentials() throws(CredentialsError) -> ClientCredentials? {
        guard let contents = try read() else { return nil }
        switch (contents.clientID, contents.secret) {
        case (let id?, let secret?): return ClientCredentials(clientID: id, secret: secret)
        case (nil, nil): return nil
        case (nil, _): throw CredentialsError(.incomplete, "\(path) has a secret but no client id")
        case (_, nil): throw CredentialsError(.incomplete, "\(path) has a client id but no secret")
        }
    }

    public func apiKey() throws(CredentialsError) -> APIKey? {
        try read()?.apiKey.map(APIKey.init)
    }

    public func placesLooked(for kind: CredentialKind) -> [String] {
        switch kind {
        case .clientCredentials: ["file \(path) (client_id and secret, or PLAID_CLIENT_ID and PLAID_SECRET)"]
        case .apiKey: ["file \(path) (api_key, or SHARE_API_KEY)"]
        }
    }

    struct Contents: Decodable {
        var clientID: String?
        var secret: String?
        var clientSecret: String?
        var apiKey: String?

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case secret
            case clientSecret = "client_secret"
            case apiKey = "api_key"
        }
    }

    private func read() throws(CredentialsError) -> (clientID: String?, secret: String?, apiKey: String?)? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else { return nil }
        let permissions: Int
        do {
            let attributes = try manager.attributesOfItem(atPath: path)
            permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        } catch {
            throw CredentialsError(.unreadableFile, "cannot read the permissions of \(path)")
        }
        if permissions & 0o077 != 0 {
            throw CredentialsError(
                .insecureFile,
                "\(path) is accessible by its group or others (mode \(String(permissions & 0o777, radix: 8))); "
                    + "restrict it with `chmod 600 \(path)`"
            )
        }
        guard let data = manager.contents(atPath: path) else {
            throw CredentialsError(.unreadableFile, "cannot read \(path)")
        }
        let bytes = [UInt8](data)
        if bytes.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) == UInt8(ascii: "{") {
            do {
                let contents = try WireJSON.decode(Contents.self, from: bytes)
                return (nonEmpty(contents.clientID), nonEmpty(contents.secret ?? contents.clientSecret), nonEmpty(contents.apiKey))
            } catch {
                throw CredentialsError(.unreadableFile, "\(path) is not valid credentials JSON: \(error.description)")
            }
        }
        let values = try parseDotEnv(String(decoding: bytes, as: UTF8.self))
        return (
            nonEmpty(values["PLAID_CLIENT_ID"]), nonEmpty(values["PLAID_SECRET"]),
            nonEmpty(values["SHARE_API_KEY"])
        )
    }

    private func parseDotEnv(_ text: String) throws(CredentialsError) -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)[...]
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            guard let equals = line.firstIndex(of: "=") else {
                throw CredentialsError(.unreadableFile, "\(path) line \(number + 1) is not KEY=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)[...]
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = value.dropFirst().dropLast()
            }
            values[key] = String(value)
        }
        return values
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
