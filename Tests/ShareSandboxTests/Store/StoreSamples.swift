import Foundation
import ShareModels
import ShareSandbox

/// Values the store suite stores and reads back.
enum StoreSamples {
    static let source = OrganizationID(validated: "org_source")
    static let destination = OrganizationID(validated: "org_destination")
    static let stranger = OrganizationID(validated: "org_stranger")
    static let connection = ConnectionID(validated: "cxn_sample")
    static let epoch = Date(timeIntervalSince1970: 1_700_000_000.25)

    static func digest(_ name: String) -> TokenDigest { TokenDigest(of: "token-" + name) }

    /// A token of family `family`, below `parent` when given.
    static func token(
        _ name: String, kind: StoredToken.Kind = .refresh, family: String = "fam-1", parent: String? = nil, issuedAt: Int = 1000,
        expiresAt: Int = 5000
    ) -> StoredToken {
        StoredToken(
            digest: digest(name), kind: kind, clientID: "lender", audience: ["lender", "urn:partner:sample"],
            scope: ScopeSet(parsing: "user:read exchange"), subject: "lender", userID: name.hasPrefix("u") ? "usr_1" : nil,
            familyID: family, parent: parent.map(digest), issuedAt: issuedAt, expiresAt: expiresAt)
    }

    static func shareToken(_ number: Int, createdAt: Date = epoch, ttl: TimeInterval = 3600, connection: ConnectionID = connection)
        -> StoredShareToken
    {
        StoredShareToken(
            id: ShareTokenID(validated: "cnst_\(number)"), connectionID: connection, sourceOrganization: source,
            destinationOrganization: destination, sourceID: SourceID(validated: "inq_\(number)"),
            creator: JSONAPIResourceIdentifier(type: "api-key", id: "key_\(number)"),
            lifecycle: ShareTokenLifecycle(createdAt: createdAt, expiresAt: createdAt.addingTimeInterval(ttl)))
    }

    static func record(_ id: String, of organization: OrganizationID, value: String = "v", sharedFrom: ShareTokenID? = nil) -> StoredRecord {
        StoredRecord(
            id: SourceID(validated: id), organization: organization,
            attributes: ["name-first": .string(value), "score": .integer(7), "nested": .object(["ok": .bool(true)])],
            createdAt: epoch, sharedFrom: sharedFrom)
    }

    static func event(
        _ number: Int, of organization: OrganizationID = source, state: StoredEvent.DeliveryState = .pending,
        createdAt: Date = epoch, nextAttemptAt: Date? = nil
    ) -> StoredEvent {
        StoredEvent(
            id: EventID(validated: "evt_\(number)"), organization: organization, name: EventName(rawValue: "share-token.created"),
            createdAt: createdAt, resource: Array(#"{"type":"event","id":"evt_\#(number)"}"#.utf8),
            delivery: StoredEvent.Delivery(state: state, nextAttemptAt: nextAttemptAt))
    }

    static func connection(_ number: Int, status: ConnectConnectionStatus = .pending) -> StoredConnection {
        StoredConnection(
            id: ConnectionID(validated: "cxn_\(number)"), sourceOrganization: source, destinationOrganization: destination,
            lifecycle: ConnectConnectionLifecycle(status: status, createdAt: epoch.addingTimeInterval(Double(number))))
    }

    static func workflowRun(_ number: Int, of organization: OrganizationID = destination) -> StoredWorkflowRun {
        StoredWorkflowRun(
            id: WorkflowRunID(validated: "wfr_\(number)"), organization: organization, workflowID: "wf-redeem",
            triggerEventID: EventID(validated: "evt_\(number)"), triggerName: EventName(rawValue: "share-token.created"),
            outcome: number.isMultiple(of: 2) ? .succeeded : .failed, error: number.isMultiple(of: 2) ? nil : "refused",
            shareTokenID: ShareTokenID(validated: "cnst_\(number)"), createdAt: epoch)
    }

    static func answer(_ key: String, createdAt: Date = epoch, body: String = #"{"data":{}}"#) -> IdempotentAnswer {
        IdempotentAnswer(
            organization: source, key: key, fingerprint: "fp-\(key)", status: 201, contentType: "application/json",
            location: "/api/v1/connect/share-tokens/cnst_1", body: Array(body.utf8), createdAt: createdAt)
    }
}
