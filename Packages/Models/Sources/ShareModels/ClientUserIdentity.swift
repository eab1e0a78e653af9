/// The identity of a user, sent with `/user/create` (Plaid's `ClientUserIdentity`, New User API).
///
/// Personal data: its `description`, `debugDescription` and mirror never show a field value.
/// Plaid: "For a user to be eligible for a Plaid Check Consumer Report, all fields are required
/// except `id_number`."
public struct ClientUserIdentity: Hashable, Sendable, Codable {
    /// The user's name.
    public var name: Name?
    /// The user's date of birth, `yyyy-mm-dd`.
    public var dateOfBirth: String?
    /// The user's emails.
    public var emails: [Email]?
    /// The user's phone numbers, in E.164 format: `+{countrycode}{number}`.
    public var phoneNumbers: [PhoneNumber]?
    /// The user's addresses.
    public var addresses: [Address]?
    /// The user's ID numbers.
    public var idNumbers: [IDNumber]?

    public init(
        name: Name? = nil, dateOfBirth: String? = nil, emails: [Email]? = nil, phoneNumbers: [PhoneNumber]? = nil,
        addresses: [Address]? = nil, idNumbers: [IDNumber]? = nil
    ) {
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.emails = emails
        self.phoneNumbers = phoneNumbers
        self.addresses = addresses
        self.idNumbers = idNumbers
    }

    enum CodingKeys: String, CodingKey {
        case name
        case dateOfBirth = "date_of_birth"
        case emails
        case phoneNumbers = "phone_numbers"
        case addresses
        case idNumbers = "id_numbers"
    }

    /// User name information.
    public struct Name: Hashable, Sendable, Codable {
        /// User's given name.
        public var givenName: String
        /// User's family name.
        public var familyName: String

        public init(givenName: String, familyName: String) {
            self.givenName = givenName
            self.familyName = familyName
        }

        enum CodingKeys: String, CodingKey {
            case givenName = "given_name"
            case familyName = "family_name"
        }
    }

    /// User email information.
    public struct Email: Hashable, Sendable, Codable {
        /// User's email.
        public var data: String
        /// Whether this is the primary email for the user.
        public var primary: Bool

        public init(data: String, primary: Bool) {
            self.data = data
            self.primary = primary
        }
    }

    /// User phone number information.
    public struct PhoneNumber: Hashable, Sendable, Codable {
        /// User's phone number.
        public var data: String
        /// Whether this is the primary phone number for the user.
        public var primary: Bool

        public init(data: String, primary: Bool) {
            self.data = data
            self.primary = primary
        }
    }

    /// User address information.
    public struct Address: Hashable, Sendable, Codable {
        public var street1: String?
        public var street2: String?
        public var city: String?
        /// State, province or region.
        public var region: String?
        /// Country code.
        public var country: String
        /// Postal or ZIP code.
        public var postalCode: String?
        /// Whether this is the primary address for the user.
        public var primary: Bool

        public init(
            street1: String? = nil, street2: String? = nil, city: String? = nil, region: String? = nil, country: String,
            postalCode: String? = nil, primary: Bool
        ) {
            self.street1 = street1
            self.street2 = street2
            self.city = city
            self.region = region
            self.country = country
            self.postalCode = postalCode
            self.primary = primary
        }

        enum CodingKeys: String, CodingKey {
            case street1 = "street_1"
            case street2 = "street_2"
            case city, region, country
            case postalCode = "postal_code"
            case primary
        }
    }

    /// One of the user's ID numbers (Plaid's `UserIDNumber`).
    public struct IDNumber: Hashable, Sendable, Codable {
        /// Value of the identity document, alpha-numeric, with all formatting characters stripped.
        public var value: String
        /// One of ``documentedTypes``, e.g. `us_ssn`.
        public var type: String

        public init(value: String, type: String) {
            self.value = value
            self.type = type
        }

        /// Plaid's `IDNumberType` enum (spec 2020-09-14_1.697.4).
        public static let documentedTypes: [String] = [
            "ar_dni", "au_drivers_license", "au_passport", "br_cpf", "ca_sin", "cl_run", "cn_resident_card", "co_nit",
            "dk_cpr", "eg_national_id", "es_dni", "es_nie", "hk_hkid", "in_pan", "it_cf", "jo_civil_id", "jp_my_number",
            "ke_huduma_namba", "kw_civil_id", "mx_curp", "mx_rfc", "my_nric", "ng_nin", "nz_drivers_license",
            "om_civil_id", "ph_psn", "pl_pesel", "ro_cnp", "sa_national_id", "se_pin", "sg_nric", "tr_tc_kimlik",
            "us_ssn", "us_ssn_last_4", "za_smart_id",
        ]
    }
}

extension ClientUserIdentity: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Which fields are present, never their values.
    public var description: String {
        let present = [
            name.map { _ in "name" }, dateOfBirth.map { _ in "date_of_birth" }, emails.map { "emails[\($0.count)]" },
            phoneNumbers.map { "phone_numbers[\($0.count)]" }, addresses.map { "addresses[\($0.count)]" },
            idNumbers.map { "id_numbers[\($0.count)]" },
        ].compactMap { $0 }
        return "ClientUserIdentity(\(present.joined(separator: ", ")): \(Redaction.marker))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["identity": description]) }
}
