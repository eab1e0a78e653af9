/// The legacy identity of a user, sent with `/user/create` by integrations that predate Plaid's
/// New User APIs (Plaid's `ConsumerReportUserIdentity`). A request carrying it is answered with a
/// `user_token`.
///
/// Personal data: its `description`, `debugDescription` and mirror never show a field value.
public struct ConsumerReportUserIdentity: Hashable, Sendable, Codable {
    public var firstName: String
    public var lastName: String
    /// In E.164 format.
    public var phoneNumbers: [String]
    public var emails: [String]
    /// `ddd-dd-dddd`
    public var ssnFull: String?
    /// Exactly 4 characters.
    public var ssnLast4: String?
    /// `yyyy-mm-dd`
    public var dateOfBirth: String?
    public var primaryAddress: PrimaryAddress

    public init(
        firstName: String, lastName: String, phoneNumbers: [String], emails: [String], ssnFull: String? = nil,
        ssnLast4: String? = nil, dateOfBirth: String?, primaryAddress: PrimaryAddress
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.phoneNumbers = phoneNumbers
        self.emails = emails
        self.ssnFull = ssnFull
        self.ssnLast4 = ssnLast4
        self.dateOfBirth = dateOfBirth
        self.primaryAddress = primaryAddress
    }

    enum CodingKeys: String, CodingKey {
        case firstName = "first_name"
        case lastName = "last_name"
        case phoneNumbers = "phone_numbers"
        case emails
        case ssnFull = "ssn_full"
        case ssnLast4 = "ssn_last_4"
        case dateOfBirth = "date_of_birth"
        case primaryAddress = "primary_address"
    }

    /// Plaid's `AddressData`: every member is required, all but `street` may be `null`.
    public struct PrimaryAddress: Hashable, Sendable, Codable {
        public var street: String
        public var city: String?
        public var region: String?
        public var postalCode: String?
        /// ISO 3166-1 alpha-2.
        public var country: String?

        public init(street: String, city: String?, region: String?, postalCode: String?, country: String?) {
            self.street = street
            self.city = city
            self.region = region
            self.postalCode = postalCode
            self.country = country
        }

        enum CodingKeys: String, CodingKey {
            case street, city, region
            case postalCode = "postal_code"
            case country
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(street, forKey: .street)
            try container.encode(city, forKey: .city)
            try container.encode(region, forKey: .region)
            try container.encode(postalCode, forKey: .postalCode)
            try container.encode(country, forKey: .country)
        }
    }
}

extension ConsumerReportUserIdentity: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ConsumerReportUserIdentity(\(Redaction.marker))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["identity": description]) }
}
