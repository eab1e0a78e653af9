import Foundation
import ShareModels
import ShareWire

/// The sample events `POST /sandbox/webhooks/test` sends: an event of a name the sandbox raises,
/// for one organization, shaped exactly like a real one (a share token with a fresh id on one of
/// the organization's connections, or a completed inquiry), and never stored.
enum SampleWebhookEvent {
    /// The event names the sandbox raises, in the order they are listed.
    static let names: [EventName] = EventName.shareTokenEvents + [.inquiryCompleted]

    /// A sample event `name` of `organization` at `now`; `nil` for a name the sandbox does not raise.
    static func event(named name: EventName, for organization: OrganizationID, directory: ShareTokenDirectory, at now: Date) throws
        -> StoredEvent?
    {
        let id = EventID(validated: "evt_" + RandomToken.alphanumeric(length: 24))
        let resource: [UInt8]
        switch name {
        case .inquiryCompleted:
            let record = StoredRecord(
                id: SourceID(validated: "inq_" + RandomToken.alphanumeric(length: 24)), organization: organization,
                attributes: ["status": .string("completed"), "completed-at": .string(Timestamp(now).description)], createdAt: now)
            resource = try WireJSON.encode(
                RecordEventResource(
                    id: id, attributes: .init(name: name, createdAt: Timestamp(now), payload: JSONAPIDocumentOf(data: RecordResource(record)))))
        case _ where EventName.shareTokenEvents.contains(name):
            let outbound = name == .outboundCreated || name == .outboundRedeemed
            let connection = directory.connections.values.sorted { $0.id < $1.id }
                .first { (outbound ? $0.source : $0.destination) == organization }
            var token = StoredShareToken(
                id: ShareTokenID(validated: "cnst_" + RandomToken.alphanumeric(length: 24)),
                connectionID: connection?.id ?? ConnectionID(validated: "cxn_sample"),
                sourceOrganization: connection?.source ?? organization, destinationOrganization: connection?.destination ?? organization,
                sourceID: SourceID(validated: "inq_" + RandomToken.alphanumeric(length: 24)),
                lifecycle: ShareTokenLifecycle(createdAt: now, expiresAt: now.addingTimeInterval(3600)))
            if name == .outboundRedeemed || name == .inboundRedeemed {
                token.destinationID = SourceID(validated: "inq_" + RandomToken.alphanumeric(length: 24))
                token.lifecycle = try token.lifecycle.applying(.beginRedemption, at: now).applying(.finishRedemption, at: now)
            }
            resource = try WireJSON.encode(
                ShareTokenEvent(id: id, name: name, createdAt: Timestamp(now), shareToken: token.view(outbound ? .outbound : .inbound, at: now)))
        default:
            return nil
        }
        return StoredEvent(
            id: id, organization: organization, name: name, createdAt: now, resource: resource, delivery: .init(state: .notRequested))
    }
}
