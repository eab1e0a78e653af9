import ShareModels
import ShareWire

/// A `/user/create` body, checked field by field against Plaid's `UserCreateRequest` schema
/// (spec 2020-09-14_1.697.4): every declared field's type, length, enum, format and required
/// members, so that a wrong field is an `INVALID_FIELD` naming it, a missing one
/// `MISSING_FIELDS`. Undeclared fields are ignored (the schema allows them). Values are never
/// echoed in messages: the identity is personal data.
///
/// `client_secret` is accepted wherever `secret` is, as on the OAuth endpoints.
struct UserCreateBody {
    var clientUserID: String
    var clientID: String?
    var secret: String?
    var clientSecret: String?
    /// `identity` (New User API), validated; `nil` when absent or `null`.
    var identity: JSONValue?
    /// `consumer_report_user_identity` (legacy), validated; `nil` when absent or `null`.
    var consumerReportUserIdentity: JSONValue?
    var withUpgradedUser: Bool?
    var endCustomer: String?

    init(validating body: JSONValue) throws(PlaidFailure) {
        guard case .object(let fields) = body else {
            throw PlaidFailure.invalidBody("the request body must be a JSON object")
        }
        let reader = FieldReader(path: "")
        try reader.requireMembers(["client_user_id"], of: fields)
        clientUserID = try reader.string("client_user_id", in: fields, minLength: 1, maxLength: 128)!
        clientID = try reader.string("client_id", in: fields)
        secret = try reader.string("secret", in: fields)
        clientSecret = try reader.string("client_secret", in: fields)
        endCustomer = try reader.string("end_customer", in: fields, maxLength: 128)
        withUpgradedUser = try reader.bool("with_upgraded_user", in: fields)
        identity = nil
        consumerReportUserIdentity = nil
        if let object = try reader.nullableObject("identity", in: fields) {
            identity = try Self.validateIdentity(object, path: "identity.")
        }
        if let object = try reader.nullableObject("consumer_report_user_identity", in: fields) {
            consumerReportUserIdentity = try Self.validateConsumerReportIdentity(object, path: "consumer_report_user_identity.")
        }
    }

    /// The identity to store with the user: the members of the request that carry one.
    var identityJSON: String? {
        var stored: [String: JSONValue] = [:]
        if let identity { stored["identity"] = identity }
        if let consumerReportUserIdentity { stored["consumer_report_user_identity"] = consumerReportUserIdentity }
        guard !stored.isEmpty, let bytes = try? WireJSON.encode(JSONValue.object(stored)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `ClientUserIdentity`.
    private static func validateIdentity(_ fields: [String: JSONValue], path: String) throws(PlaidFailure) -> JSONValue {
        let reader = FieldReader(path: path)
        if let name = try reader.nullableObject("name", in: fields) {
            let nameReader = FieldReader(path: path + "name.")
            try nameReader.requireMembers(["given_name", "family_name"], of: name)
            _ = try nameReader.string("given_name", in: name)
            _ = try nameReader.string("family_name", in: name)
        }
        _ = try reader.string("date_of_birth", in: fields, nullable: true, format: .date)
        for kind in ["emails", "phone_numbers"] {
            for (index, item) in try reader.objects(kind, in: fields).enumerated() {
                let itemReader = FieldReader(path: "\(path)\(kind)[\(index)].")
                try itemReader.requireMembers(["data", "primary"], of: item)
                _ = try itemReader.string("data", in: item)
                _ = try itemReader.bool("primary", in: item)
            }
        }
        for (index, address) in try reader.objects("addresses", in: fields).enumerated() {
            let addressReader = FieldReader(path: "\(path)addresses[\(index)].")
            try addressReader.requireMembers(["country", "primary"], of: address)
            for key in ["street_1", "street_2", "city", "region", "postal_code"] {
                _ = try addressReader.string(key, in: address, nullable: true)
            }
            _ = try addressReader.string("country", in: address)
            _ = try addressReader.bool("primary", in: address)
        }
        for (index, idNumber) in try reader.objects("id_numbers", in: fields, nullableItems: true).enumerated() {
            let idReader = FieldReader(path: "\(path)id_numbers[\(index)].")
            try idReader.requireMembers(["value", "type"], of: idNumber)
            _ = try idReader.string("value", in: idNumber)
            _ = try idReader.string("type", in: idNumber, oneOf: ClientUserIdentity.IDNumber.documentedTypes)
        }
        return .object(fields)
    }

    /// `ConsumerReportUserIdentity` (legacy).
    private static func validateConsumerReportIdentity(_ fields: [String: JSONValue], path: String) throws(PlaidFailure)
        -> JSONValue
    {
        let reader = FieldReader(path: path)
        try reader.requireMembers(
            ["first_name", "last_name", "phone_numbers", "emails", "date_of_birth", "primary_address"], of: fields)
        _ = try reader.string("first_name", in: fields)
        _ = try reader.string("last_name", in: fields)
        _ = try reader.strings("phone_numbers", in: fields)
        _ = try reader.strings("emails", in: fields)
        _ = try reader.string("ssn_full", in: fields, nullable: true)
        _ = try reader.string("ssn_last_4", in: fields, nullable: true, minLength: 4, maxLength: 4)
        _ = try reader.string("date_of_birth", in: fields, nullable: true, format: .date)
        guard case .object(let address)? = fields["primary_address"] else {
            throw PlaidFailure.invalidField("\(path)primary_address must be an object")
        }
        let addressReader = FieldReader(path: path + "primary_address.")
        try addressReader.requireMembers(["city", "region", "street", "postal_code", "country"], of: address)
        _ = try addressReader.string("street", in: address)
        for key in ["city", "region", "postal_code", "country"] {
            _ = try addressReader.string(key, in: address, nullable: true)
        }
        return .object(fields)
    }
}
