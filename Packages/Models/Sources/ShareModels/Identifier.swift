/// A validated identifier: a known prefix followed by 1–128 characters of `[A-Za-z0-9_-]`.
///
/// Conforming types (`UserID`, `SourceID`, `ShareTokenID`, …) differ only in their prefixes, so a
/// user id can never be passed where a share-token id is expected. Decoding an invalid value fails
/// with an ``IdentifierError`` that says what was expected.
public protocol Identifier: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    Comparable where RawValue == String
{
    /// Accepted prefixes, e.g. `["usr_"]`. Empty means any prefix.
    static var prefixes: [String] { get }
    /// A human name for errors, e.g. "user id".
    static var kindName: String { get }
    /// Wraps a value already known to be valid.
    init(validated rawValue: String)
}

/// Why a string is not a valid identifier.
public struct IdentifierError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of identifier was expected, e.g. "user id".
    public let kind: String
    /// The offending value, shortened to 64 characters.
    public let value: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "invalid \(kind) \"\(value)\": \(reason)" }
}

extension Identifier {
    /// The longest body (after the prefix) an identifier may have.
    public static var maximumBodyLength: Int { 128 }

    /// Validates `rawValue`, throwing an ``IdentifierError`` that explains the problem.
    public init(_ rawValue: String) throws(IdentifierError) {
        if let reason = Self.problem(with: rawValue) {
            throw IdentifierError(kind: Self.kindName, value: String(rawValue.prefix(64)), reason: reason)
        }
        self.init(validated: rawValue)
    }

    public init?(rawValue: String) {
        guard Self.problem(with: rawValue) == nil else { return nil }
        self.init(validated: rawValue)
    }

    /// A description of what is wrong with `value`, or `nil` when it is valid.
    public static func problem(with value: String) -> String? {
        var body = Substring(value)
        if !prefixes.isEmpty {
            guard let prefix = prefixes.first(where: { value.hasPrefix($0) }) else {
                return "expected a value starting with " + prefixes.map { "\"\($0)\"" }.joined(separator: " or ")
            }
            body = value.dropFirst(prefix.count)
        }
        if body.isEmpty { return "nothing follows the prefix" }
        if body.utf8.count > maximumBodyLength { return "longer than \(maximumBodyLength) characters" }
        let allowed = body.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D
        }
        return allowed ? nil : "only letters, digits, \"_\" and \"-\" may follow the prefix"
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            // The message names the kind and the rule, never the value (errors must not echo input).
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid \(error.kind): \(error.reason)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A user created by `/user/create` (`usr_…`); the subject of a consumer-report share.
public struct UserID: Identifier {
    public static let prefixes = ["usr_"]
    public static let kindName = "user id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}

/// A share token (`cnst_…`).
public struct ShareTokenID: Identifier {
    public static let prefixes = ["cnst_"]
    public static let kindName = "share token id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}

/// A connection between a source and a destination organization: `cxn_…`, Persona's prefix
/// (<https://docs.withpersona.com/api-reference/connect/connections/create-a-connect-connection>).
/// `conn_…`, the prefix of earlier sandbox configurations, is still accepted so that they keep working.
public struct ConnectionID: Identifier {
    public static let prefixes = ["cxn_", "conn_"]
    public static let kindName = "connection id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}

/// An organization that creates or redeems share tokens.
public struct OrganizationID: Identifier {
    public static let prefixes = ["org_"]
    public static let kindName = "organization id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}

/// A lifecycle event (`evt_…`).
public struct EventID: Identifier {
    public static let prefixes = ["evt_"]
    public static let kindName = "event id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}

/// A recorded workflow run (`wfr_…`).
public struct WorkflowRunID: Identifier {
    public static let prefixes = ["wfr_"]
    public static let kindName = "workflow run id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}

/// A record that can be shared: an inquiry (`inq_…`), a transaction (`txn_…`), an account
/// (`act_…`) or a verification (`ver_…`), as Persona's create page lists them
/// (<https://docs.withpersona.com/2020-05-18/creating-share-tokens>). Also names the destination
/// record a redemption writes.
public struct SourceID: Identifier {
    /// What kind of record an id names.
    public enum Kind: String, Sendable, CaseIterable {
        case inquiry = "inq_"
        case transaction = "txn_"
        case account = "act_"
        case verification = "ver_"

        /// The JSON:API resource type of a record of this kind.
        public var resourceType: String {
            switch self {
            case .inquiry: "inquiry"
            case .transaction: "transaction"
            case .account: "account"
            case .verification: "verification"
            }
        }

        /// Whether a redemption may create a new record of this kind (Persona's clone mode):
        /// only inquiries and verifications can be cloned; accounts and transactions are
        /// hydrated into an existing record
        /// (<https://docs.withpersona.com/api-reference/connect/share-tokens/redeem-share-token>).
        public var canBeCloned: Bool { self == .inquiry || self == .verification }

        /// Whether a redemption may write into a given record of this kind (Persona's hydrate
        /// mode): accounts, transactions and inquiries; verifications can only be cloned.
        public var canBeHydrated: Bool { self != .verification }
    }

    public static let prefixes = Kind.allCases.map(\.rawValue)
    public static let kindName = "source id"
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }

    /// The kind of record, read from the prefix.
    public var kind: Kind { Kind.allCases.first { rawValue.hasPrefix($0.rawValue) } ?? .inquiry }
}
