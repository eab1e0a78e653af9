import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is and how to log in, read from a `postgres://` or
/// `postgresql://` URL (`share-sandbox --data`) and the libpq environment variables.
///
/// `postgres://[USER[:PASSWORD]@][HOST][:PORT][/DATABASE][?sslmode=MODE]`: each part the URL
/// leaves out comes from its environment variable (`PGUSER`, `PGPASSWORD`, `PGHOST`, `PGPORT`,
/// `PGDATABASE`, `PGSSLMODE`), then from its default: the `USER` of the environment (else
/// `postgres`), no password, `localhost`, `5432`, a database named like the user, `prefer`. A
/// part the URL gives always wins, so `postgres://` alone is the environment's database. A
/// `HOST` (or `PGHOST`) starting with `/`, percent-encoded in the URL (`%2Frun%2Fpostgresql`),
/// is the directory of the server's Unix socket. `sslmode` is `disable`, `prefer`, `require`
/// (encrypted, certificate not checked), `verify-ca` or `verify-full`.
///
/// The password is kept for the connection only: ``description`` and every error leave it out.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How the connection is protected with TLS (libpq's `sslmode`).
    public enum TLSMode: String, Hashable, Sendable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The host name or address, or the directory of the Unix socket when it starts with `/`.
    public var host: String
    public var port: Int
    public var user: String
    /// Never shown: ``description`` and errors leave it out.
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String? = nil, tlsMode: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
        self.tlsMode = tlsMode
    }

    /// Whether `text` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than
    /// a file.
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Reads `url`, taking the parts it leaves out from `environment`; a
    /// ``PostgresLocationError`` (which never repeats the URL) when it is malformed.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresLocationError) {
        guard let schemeEnd = url.range(of: "://"), Self.isURL(url) else {
            throw PostgresLocationError(reason: "expected a postgres:// or postgresql:// URL")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let name = parts[0].removingPercentEncoding, let value = parts[1].removingPercentEncoding else {
                    throw PostgresLocationError(reason: "a URL parameter is not NAME=VALUE")
                }
                guard name == "sslmode" else { throw PostgresLocationError(reason: "unsupported URL parameter \(name); only sslmode is read") }
                parameters[name] = value
            }
            rest = rest[..<question]
        }
        var authority = rest
        var databasePart: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            databasePart = rest[rest.index(after: slash)...]
        }
        var userPart: Substring?
        var passwordPart: Substring?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                userPart = userInfo[..<colon]
                passwordPart = userInfo[userInfo.index(after: colon)...]
            } else {
                userPart = userInfo
            }
        }
        var hostPart = hostPort
        var portPart: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw PostgresLocationError(reason: "an IPv6 host lacks its closing ]") }
            hostPart = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty {
                throw PostgresLocationError(reason: "unexpected text after the IPv6 host")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostPart = hostPort[..<colon]
            portPart = hostPort[hostPort.index(after: colon)...]
        }
        func decoded(_ part: Substring?, _ what: String) throws(PostgresLocationError) -> String? {
            guard let part, !part.isEmpty else { return nil }
            guard let value = part.removingPercentEncoding else { throw PostgresLocationError(reason: "the \(what) is not well percent-encoded") }
            return value
        }
        func nonEmpty(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

        let user = try decoded(userPart, "user name") ?? nonEmpty("PGUSER") ?? nonEmpty("USER") ?? "postgres"
        let password = try decoded(passwordPart, "password") ?? nonEmpty("PGPASSWORD")
        let host = try decoded(hostPart, "host") ?? nonEmpty("PGHOST") ?? "localhost"
        let portText = try decoded(portPart, "port") ?? nonEmpty("PGPORT") ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw PostgresLocationError(reason: "the port must be a number from 1 to 65535")
        }
        let database = try decoded(databasePart, "database name") ?? nonEmpty("PGDATABASE") ?? user
        let modeText = parameters["sslmode"] ?? nonEmpty("PGSSLMODE") ?? TLSMode.prefer.rawValue
        guard let tlsMode = TLSMode(rawValue: modeText) else {
            let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw PostgresLocationError(reason: "unknown sslmode \(modeText); expected one of \(modes)")
        }
        self.init(host: host, port: port, user: user, password: password, database: database, tlsMode: tlsMode)
    }

    /// Whether ``host`` is the directory of a Unix socket.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// `postgres://USER@HOST:PORT/DATABASE`, never the password.
    public var description: String {
        let shownHost = isUnixSocket ? host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host : host.contains(":") ? "[\(host)]" : host
        let mode = tlsMode == .prefer ? "" : "?sslmode=\(tlsMode.rawValue)"
        return "postgres://\(user)@\(shownHost):\(port)/\(database)\(mode)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    /// The pool's configuration.
    var clientConfiguration: PostgresClient.Configuration {
        if isUnixSocket {
            return PostgresClient.Configuration(unixSocketPath: socketPath, username: user, password: password, database: database)
        }
        let tls: PostgresClient.Configuration.TLS =
            switch tlsConfiguration {
            case nil: .disable
            case let configuration? where tlsMode == .prefer: .prefer(configuration)
            case let configuration?: .require(configuration)
            }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// The configuration of a single connection (the reachability check at start).
    func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if isUnixSocket {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: socketPath, username: user, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS =
                switch tlsConfiguration {
                case nil: .disable
                case let configuration? where tlsMode == .prefer: .prefer(try NIOSSLContext(configuration: configuration))
                case let configuration?: .require(try NIOSSLContext(configuration: configuration))
                }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        let timeout = connectTimeout.components
        configuration.options.connectTimeout = .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
        return configuration
    }

    /// `.s.PGSQL.PORT` in the socket directory.
    private var socketPath: String {
        let directory = host.hasSuffix("/") ? String(host.dropLast()) : host
        return "\(directory)/.s.PGSQL.\(port)"
    }

    /// The TLS settings `sslmode` asks for, `nil` for `disable`.
    private var tlsConfiguration: TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable:
            return nil
        case .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            break
        }
        return configuration
    }
}
