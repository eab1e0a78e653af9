import ShareModels

extension ShareTokenAuthority {
    /// Event `id` of `organization`; 404 for an unknown id and for another organization's event.
    public func event(_ id: EventID, by organization: OrganizationID) async throws -> StoredEvent {
        guard let event = try await store.event(id: id), event.organization == organization else {
            throw ShareTokenFailure.notFound("event")
        }
        return event
    }
}
