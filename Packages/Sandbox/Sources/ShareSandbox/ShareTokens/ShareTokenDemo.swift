/// The share-token world a sandbox starts with when its configuration names no organization: two
/// organizations, a connection from the first to the second, and four records of the first.
///
/// The API keys are public by design: they only ever open a local sandbox, and are printed by
/// `share-sandbox` at start and in `docs/sandbox.md`.
public enum ShareTokenDemo {
    /// The source organization: it owns the records and creates share tokens.
    public static let sourceOrganizationID = "org_demo-lender"
    /// The API key of ``sourceOrganizationID``.
    public static let sourceAPIKey = "demo-lender-api-key"
    /// The destination organization: it redeems share tokens.
    public static let destinationOrganizationID = "org_demo-bank"
    /// The API key of ``destinationOrganizationID``.
    public static let destinationAPIKey = "demo-bank-api-key"
    /// The connection from the source to the destination.
    public static let connectionID = "cxn_demo"
    /// An inquiry of the source organization.
    public static let inquiryID = "inq_demo"
    /// A transaction of the source organization.
    public static let transactionID = "txn_demo"
    /// An account of the source organization.
    public static let accountID = "act_demo"
    /// A verification of the source organization (shared in clone mode).
    public static let verificationID = "ver_demo"

    /// The demo set.
    public static var seed: ShareTokenSeed {
        ShareTokenSeed(
            organizations: [
                .init(id: sourceOrganizationID, apiKey: sourceAPIKey),
                .init(id: destinationOrganizationID, apiKey: destinationAPIKey),
            ],
            connections: [.init(id: connectionID, source: sourceOrganizationID, destination: destinationOrganizationID)],
            records: [
                .init(
                    id: inquiryID, organization: sourceOrganizationID,
                    attributes: [
                        "status": .string("approved"), "name-first": .string("Alex"), "name-last": .string("Rivera"),
                        "birthdate": .string("1990-04-12"), "address-postal-code": .string("94107"),
                    ]),
                .init(
                    id: transactionID, organization: sourceOrganizationID,
                    attributes: ["status": .string("approved"), "reference-id": .string("loan-application-1042")]),
                .init(
                    id: accountID, organization: sourceOrganizationID,
                    attributes: ["reference-id": .string("customer-1042"), "country-code": .string("US")]),
                .init(
                    id: verificationID, organization: sourceOrganizationID,
                    attributes: [
                        "status": .string("passed"), "country-code": .string("US"), "id-class": .string("dl"),
                        "name-first": .string("Alex"), "name-last": .string("Rivera"),
                    ]),
            ]
        )
    }
}
