import ShareCore
/// The request paths the gateway forwards; everything else is answered 404 without contacting
/// the upstream. Matching is done on the output of ``PathNormalizer``.
///
/// An entry is either an exact path (`/oauth/token`) or a subtree, written with a trailing `…`
/// or `/*` (`/api/v1/connect/share-tokens…`), which matches the path itself and every path below
/// it at a segment boundary — `/api/v1/connect/share-tokens/st_1/redeem`, but not
/// `/api/v1/connect/share-tokens-other`.
///
/// Each entry also lists the methods it forwards, written before the path
/// (`POST /oauth/token`, `GET,POST /api/v1/connect/share-tokens…`); an entry written without
/// methods forwards ``Entry/defaultMethods``. Methods are case-sensitive (RFC 9110 §9.1): `get`
/// is not `GET`. An entry that forwards `GET` also forwards `HEAD` (RFC 9110 §9.3.2: `HEAD` is
/// `GET` without the body), listed right after it. A request for a listed path with another
/// method is answered 405 with `Allow`.
///
/// The sandbox's control plane (`/sandbox` and every path below it: its clock, faults and reset)
/// is matched only by an entry that names it — `/sandbox…`, `POST /sandbox/reset`. A subtree
/// entry above it (`/…`) does not reach it, and neither does the default list; see
/// ``isSandboxControlPath(_:)``.
public struct PathAllowlist: Sendable, Hashable, CustomStringConvertible {
    /// One allowlist entry.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The normalised path (for a subtree, without the trailing marker or slash).
        public let path: String
        /// Whether paths below ``path`` match too.
        public let includesSubpaths: Bool
        /// How the entry's path is written back (`/oauth/token`, `/api/v1/connect/share-tokens…`);
        /// also the `route` label of the gateway's metrics.
        public let label: String
        /// The methods forwarded for this entry, in the order given, `HEAD` right after `GET`
        /// (the `Allow` header of a 405).
        public let methods: [String]
        /// Whether ``path`` lies in the sandbox's control plane (``PathAllowlist/isSandboxControlPath(_:)``),
        /// decided once here rather than for every request it is matched against.
        let isSandboxControl: Bool

        /// The methods of an entry written without any: those the API's routes use.
        public static let defaultMethods = ["GET", "POST"]
        /// Methods an entry may not list: `CONNECT` turns the connection into a tunnel and `TRACE`
        /// echoes the request (headers included) back.
        static let refusedMethods: Set<String> = ["CONNECT", "TRACE"]

        /// Parses `[METHOD[,METHOD…] ]path`, the path being `/exact/path`, `/subtree…`,
        /// `/subtree...` or `/subtree/*`.
        public init(parsing text: String) throws(PathAllowlistError) {
            var path = Substring(text)
            var methods = Self.defaultMethods
            if let space = path.firstIndex(of: " ") {
                methods = []
                for method in path[..<space].split(separator: ",", omittingEmptySubsequences: false) {
                    let method = String(method)
                    guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
                        throw PathAllowlistError(entry: text, reason: "methods are upper-case words separated by commas, e.g. GET,POST /path")
                    }
                    guard !Self.refusedMethods.contains(method) else {
                        throw PathAllowlistError(entry: text, reason: "\(method) is never forwarded")
                    }
                    if !methods.contains(method) { methods.append(method) }
                }
                path = path[path.index(after: space)...].drop(while: { $0 == " " })
            }
            var subtree = false
            for marker in ["…", "...", "/*"] where path.hasSuffix(marker) {
                path = path.dropLast(marker.count)
                subtree = true
                break
            }
            while path.count > 1 && path.hasSuffix("/") && subtree { path = path.dropLast() }
            let normalized: String
            do {
                normalized = try PathNormalizer().normalize(String(path))
            } catch {
                throw PathAllowlistError(entry: text, reason: error.description)
            }
            guard normalized == path else {
                throw PathAllowlistError(entry: text, reason: "write it in normalised form, \(normalized)")
            }
            self.path = normalized
            self.isSandboxControl = PathAllowlist.isSandboxControlPath(normalized)
            self.includesSubpaths = subtree
            self.label = subtree ? normalized + "…" : normalized
            if let get = methods.firstIndex(of: "GET"), !methods.contains("HEAD") {
                methods.insert("HEAD", at: get + 1)
            }
            self.methods = methods
        }

        /// Whether `method` (as sent: methods are case-sensitive) is forwarded for this entry.
        public func allows(method: String) -> Bool { methods.contains(method) }

        /// Whether this entry admits `normalizedPath`. A path of the sandbox's control plane is
        /// admitted only by an entry whose own path lies in it (``PathAllowlist/isSandboxControlPath(_:)``).
        public func matches(_ normalizedPath: String) -> Bool {
            matches(normalizedPath, isSandboxControl: PathAllowlist.isSandboxControlPath(normalizedPath))
        }

        /// ``matches(_:)`` for a path whose ``PathAllowlist/isSandboxControlPath(_:)`` is known.
        func matches(_ normalizedPath: String, isSandboxControl pathIsSandboxControl: Bool) -> Bool {
            if pathIsSandboxControl && !isSandboxControl { return false }
            guard includesSubpaths else { return normalizedPath == path }
            guard normalizedPath.hasPrefix(path) else { return false }
            if normalizedPath.utf8.count == path.utf8.count || path == "/" { return true }
            return normalizedPath.utf8[normalizedPath.utf8.index(normalizedPath.utf8.startIndex, offsetBy: path.utf8.count)]
                == UInt8(ascii: "/")
        }

        public var description: String { label }
    }

    /// The entries, in the order given.
    public let entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Parses every entry of `texts`.
    public init(parsing texts: [String]) throws(PathAllowlistError) {
        var entries: [Entry] = []
        for text in texts { entries.append(try Entry(parsing: text)) }
        self.init(entries)
    }

    /// The OAuth endpoints and `/user/create` (`POST`), the share-token API (`GET` to list
    /// and read, `POST` to create, redeem and expire) and the Connections API (`GET` to list and
    /// read, `POST` to create, accept, deactivate and reactivate).
    public static let `default` = try! PathAllowlist(parsing: [
        "POST /oauth/token",
        "POST /oauth/introspect",
        "POST /oauth/revoke",
        "POST /user/create",
        "GET,POST /api/v1/connect/share-tokens…",
        "GET,POST /api/v1/connect/connections…",
    ])

    /// Whether a normalised path belongs to the sandbox's control plane: its first segment is
    /// `sandbox`, in any letter case (an upstream may route without regard to case). Such a path
    /// is forwarded only when an entry names `/sandbox` or a path under it explicitly.
    public static func isSandboxControlPath(_ normalizedPath: String) -> Bool {
        let utf8 = normalizedPath.utf8
        let segment = utf8.dropFirst().prefix { $0 != UInt8(ascii: "/") }
        return utf8.first == UInt8(ascii: "/") && segment.count == 7
            && zip(segment, "sandbox".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// Whether a normalised path may be forwarded.
    public func allows(_ normalizedPath: String) -> Bool {
        entry(matching: normalizedPath) != nil
    }

    /// The first entry matching a normalised path, or `nil`.
    public func entry(matching normalizedPath: String) -> Entry? {
        let isSandboxControl = Self.isSandboxControlPath(normalizedPath)
        for entry in entries where entry.matches(normalizedPath, isSandboxControl: isSandboxControl) { return entry }
        return nil
    }

    public var description: String { entries.map(\.description).joined(separator: ", ") }
}

/// An `--allow-path` value that cannot be used.
public struct PathAllowlistError: Error, Hashable, Sendable, CustomStringConvertible {
    public let entry: String
    public let reason: String
    public var description: String { "invalid allowed path \"\(entry.prefix(120))\": \(reason)" }
}
