import Foundation
import ShareWire

/// Reads the members of one JSON object of a request against a schema, throwing Plaid's
/// `INVALID_FIELD` / `MISSING_FIELDS` with the member's full path (`identity.emails[0].data`).
/// Messages name the field and what was expected, never the value sent.
///
/// Lengths are counted in Unicode scalars, as JSON Schema's `minLength`/`maxLength` count.
struct FieldReader {
    /// The path of the object, ending in `.` (or empty for the body).
    let path: String

    enum Format { case date }

    /// `MISSING_FIELDS` naming every member of `required` that `fields` lacks.
    func requireMembers(_ required: [String], of fields: [String: JSONValue]) throws(PlaidFailure) {
        let missing = required.filter { fields[$0] == nil }
        if !missing.isEmpty { throw PlaidFailure.missingFields(missing.map { path + $0 }) }
    }

    /// The string member `key`, `nil` when absent (or `null` where `nullable`).
    func string(
        _ key: String, in fields: [String: JSONValue], nullable: Bool = false, minLength: Int? = nil, maxLength: Int? = nil,
        oneOf allowed: [String]? = nil, format: Format? = nil
    ) throws(PlaidFailure) -> String? {
        switch fields[key] {
        case nil: return nil
        case .null?:
            if nullable { return nil }
            throw PlaidFailure.invalidField("\(path)\(key) must be a string, not null")
        case .string(let value)?:
            let length = value.unicodeScalars.count
            if let minLength, length < minLength {
                throw PlaidFailure.invalidField("\(path)\(key) must be at least \(minLength) characters (got \(length))")
            }
            if let maxLength, length > maxLength {
                throw PlaidFailure.invalidField("\(path)\(key) must be at most \(maxLength) characters (got \(length))")
            }
            if let allowed, !allowed.contains(value) {
                throw PlaidFailure.invalidField("\(path)\(key) must be one of: \(allowed.joined(separator: ", "))")
            }
            if format == .date, !Self.isFullDate(value) {
                throw PlaidFailure.invalidField("\(path)\(key) must be a date in the format yyyy-mm-dd")
            }
            return value
        case let other?:
            throw PlaidFailure.invalidField("\(path)\(key) must be a string, not \(Self.kind(of: other))")
        }
    }

    /// The boolean member `key`, `nil` when absent.
    func bool(_ key: String, in fields: [String: JSONValue]) throws(PlaidFailure) -> Bool? {
        switch fields[key] {
        case nil: return nil
        case .bool(let value)?: return value
        case let other?: throw PlaidFailure.invalidField("\(path)\(key) must be a boolean, not \(Self.kind(of: other))")
        }
    }

    /// The object member `key`, `nil` when absent or `null`.
    func nullableObject(_ key: String, in fields: [String: JSONValue]) throws(PlaidFailure) -> [String: JSONValue]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .object(let value)?: return value
        case let other?: throw PlaidFailure.invalidField("\(path)\(key) must be an object, not \(Self.kind(of: other))")
        }
    }

    /// The array-of-objects member `key`, empty when absent; `null` items are skipped when the
    /// item schema is `nullable` (`nullableItems`).
    func objects(_ key: String, in fields: [String: JSONValue], nullableItems: Bool = false) throws(PlaidFailure)
        -> [[String: JSONValue]]
    {
        let items = try array(key, in: fields).filter { !(nullableItems && $0 == .null) }
        return try items.enumerated().map { (index, item) throws(PlaidFailure) in
            guard case .object(let object) = item else {
                throw PlaidFailure.invalidField("\(path)\(key)[\(index)] must be an object, not \(Self.kind(of: item))")
            }
            return object
        }
    }

    /// The array-of-strings member `key`, empty when absent.
    func strings(_ key: String, in fields: [String: JSONValue]) throws(PlaidFailure) -> [String] {
        try array(key, in: fields).enumerated().map { (index, item) throws(PlaidFailure) in
            guard case .string(let value) = item else {
                throw PlaidFailure.invalidField("\(path)\(key)[\(index)] must be a string, not \(Self.kind(of: item))")
            }
            return value
        }
    }

    private func array(_ key: String, in fields: [String: JSONValue]) throws(PlaidFailure) -> [JSONValue] {
        switch fields[key] {
        case nil: return []
        case .array(let items)?: return items
        case let other?: throw PlaidFailure.invalidField("\(path)\(key) must be an array, not \(Self.kind(of: other))")
        }
    }

    /// RFC 3339 `full-date`, the meaning of JSON Schema's `format: date`: `yyyy-mm-dd`, a real day.
    static func isFullDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return false }
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
