import ShareModels
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test(arguments: [
        "usr_9nSp2KuZ2x4JDw", "usr_a", "usr_A-b_9", "usr_" + String(repeating: "x", count: 128),
    ])
    func acceptsValidUserIDs(_ raw: String) throws {
        #expect(try UserID(raw).rawValue == raw)
        #expect(UserID(rawValue: raw) != nil)
    }

    @Test(arguments: [
        ("", "expected a value starting with \"usr_\""),
        ("usr_", "nothing follows the prefix"),
        ("user_abc", "expected a value starting with \"usr_\""),
        ("USR_abc", "expected a value starting with \"usr_\""),
        ("usr_a b", "only letters, digits, \"_\" and \"-\" may follow the prefix"),
        ("usr_é", "only letters, digits, \"_\" and \"-\" may follow the prefix"),
        ("usr_a/b", "only letters, digits, \"_\" and \"-\" may follow the prefix"),
        ("usr_" + String(repeating: "x", count: 129), "longer than 128 characters"),
    ])
    func rejectsInvalidUserIDsSayingWhy(_ raw: String, _ reason: String) {
        #expect(UserID(rawValue: raw) == nil)
        let error = #expect(throws: IdentifierError.self) { try UserID(raw) }
        #expect(error?.kind == "user id")
        #expect(error?.reason == reason)
        #expect(error?.value == String(raw.prefix(64)))
    }

    @Test(arguments: [("inq_ABC123", SourceID.Kind.inquiry), ("txn_ABC123", .transaction), ("act_ABC123", .account)])
    func sourceIDsAcceptInquiriesTransactionsAndAccounts(_ raw: String, _ kind: SourceID.Kind) throws {
        #expect(try SourceID(raw).kind == kind)
    }

    @Test func sourceIDsRejectOtherPrefixesListingTheAcceptedOnes() {
        let error = #expect(throws: IdentifierError.self) { try SourceID("usr_1") }
        #expect(error?.description == "invalid source id \"usr_1\": expected a value starting with \"inq_\" or \"txn_\" or \"act_\" or \"ver_\"")
    }

    @Test func eachIdentifierKindChecksItsOwnPrefix() {
        #expect(ShareTokenID(rawValue: "cnst_1") != nil)
        #expect(ShareTokenID(rawValue: "conn_1") == nil)
        #expect(ConnectionID(rawValue: "conn_1") != nil)
        // Persona's prefix, and the sandbox's older one, are both connection ids.
        #expect(ConnectionID(rawValue: "cxn_1") != nil)
        #expect(ConnectionID(rawValue: "con_1") == nil)
        #expect(SourceID(rawValue: "ver_1")?.kind == .verification)
        #expect(SourceID.Kind.verification.canBeCloned && !SourceID.Kind.verification.canBeHydrated)
        #expect(!SourceID.Kind.account.canBeCloned && SourceID.Kind.account.canBeHydrated)
        #expect(ConnectionID(rawValue: "cnst_1") == nil)
        #expect(OrganizationID(rawValue: "org_1") != nil)
        #expect(EventID(rawValue: "evt_1") != nil)
        #expect(WorkflowRunID(rawValue: "wfr_1") != nil)
        #expect(WorkflowRunID(rawValue: "evt_1") == nil)
    }

    @Test func errorsShortenTheOffendingValue() {
        let long = "bad" + String(repeating: "x", count: 200)
        do {
            _ = try UserID(long)
            Issue.record("accepted")
        } catch {
            #expect(error.value.count == 64)
            #expect(error.kind == "user id")
        }
    }

    @Test func identifiersPrintAsTheirRawValueAndSort() throws {
        let a = try UserID("usr_a")
        let b = try UserID("usr_b")
        #expect("\(a)" == "usr_a")
        #expect(a < b)
    }
}
