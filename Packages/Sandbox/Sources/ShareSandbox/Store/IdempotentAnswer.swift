import Foundation
import ShareModels

/// The answer saved for an `Idempotency-Key` of one organization: what the first request with
/// that key was (its fingerprint) and what it was answered, replayed to every retry
/// (https://docs.withpersona.com/idempotence).
public struct IdempotentAnswer: Hashable, Sendable {
    /// The organization whose API key sent the request: keys are scoped per organization.
    public var organization: OrganizationID
    /// The `Idempotency-Key` header.
    public var key: String
    /// A digest of the method, path and parameters of the first request; a retry must match it.
    public var fingerprint: String
    /// The answer's HTTP status.
    public var status: Int
    /// The answer's `Content-Type`, if any.
    public var contentType: String?
    /// The answer's `Location`, if any (a created share token's).
    public var location: String?
    /// The answer's body, exactly as first sent (before any key inflection).
    public var body: [UInt8]
    /// When the first request was answered; the answer is kept for 24 hours after.
    public var createdAt: Date

    public init(
        organization: OrganizationID, key: String, fingerprint: String, status: Int, contentType: String?, location: String?,
        body: [UInt8], createdAt: Date
    ) {
        self.organization = organization
        self.key = key
        self.fingerprint = fingerprint
        self.status = status
        self.contentType = contentType
        self.location = location
        self.body = body
        self.createdAt = createdAt
    }
}
