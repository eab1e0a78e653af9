import ShareModels

/// Why the share-token API refused a request, in the terms of its answer: an HTTP status, a short
/// title, a detail safe to show (never a key or a secret) and the JSON pointer or query parameter
/// at fault.
///
/// The HTTP layer renders it as a JSON:API error document, `{"errors":[{status, title, details,
/// source}]}` (Persona's error object, https://docs.withpersona.com/errors).
public struct ShareTokenFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// A short, stable summary, e.g. "Invalid attribute".
    public var title: String
    /// What exactly is wrong.
    public var detail: String
    /// The part of the request at fault.
    public var source: JSONAPIError.Source?

    public init(status: Int, title: String, detail: String, source: JSONAPIError.Source? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.source = source
    }

    /// The answer's body.
    public var document: JSONAPIErrorDocument {
        JSONAPIErrorDocument(errors: [JSONAPIError(status: status, title: title, details: detail, source: source)])
    }

    public var description: String { document.description }

    /// 422: the attribute at `pointer` has a value the API does not accept.
    static func invalidAttribute(_ pointer: String, _ detail: String) -> ShareTokenFailure {
        ShareTokenFailure(status: 422, title: "Invalid attribute", detail: detail, source: .init(pointer: pointer))
    }

    /// 400: the query parameter `name` is malformed.
    static func invalidParameter(_ name: String, _ detail: String) -> ShareTokenFailure {
        ShareTokenFailure(status: 400, title: "Invalid query parameter", detail: detail, source: .init(parameter: name))
    }

    /// 400: the body is not a JSON:API document of the expected shape.
    static func malformedBody(_ detail: String, pointer: String? = nil) -> ShareTokenFailure {
        ShareTokenFailure(status: 400, title: "Malformed request body", detail: detail, source: pointer.map { .init(pointer: $0) })
    }

    /// 404: nothing the caller may see has this id (whether or not it exists).
    static func notFound(_ what: String) -> ShareTokenFailure {
        ShareTokenFailure(status: 404, title: "Not found", detail: "no \(what) with this id is visible to your organization")
    }

    /// 404 to a redemption by anyone but the destination organization: the answer of an unknown
    /// id, so that existence does not leak, in words that also tell the source (which can read
    /// its token) why it cannot redeem it.
    static let notRedeemableByYou = ShareTokenFailure(
        status: 404, title: "Not found",
        detail: "no share token with this id can be redeemed by your organization; only the destination organization of its connection redeems a share token")

    /// 403: the organization sees the resource but may not do this to it.
    static func forbidden(_ detail: String) -> ShareTokenFailure {
        ShareTokenFailure(status: 403, title: "Forbidden", detail: detail)
    }

    /// 422: the connection of the request is not `active`; share tokens cannot be created or
    /// redeemed through it (<https://docs.withpersona.com/managing-connections>).
    static func connectionNotActive(_ status: ConnectConnectionStatus, pointer: String?) -> ShareTokenFailure {
        let why = status == .pending ? "the destination organization has not accepted it yet" : "it has been deactivated"
        return ShareTokenFailure(
            status: 422, title: "Connection not active",
            detail: "the connection is \(status) (\(why)); share tokens can be created and redeemed only through an active connection",
            source: pointer.map { .init(pointer: $0) })
    }

    /// The answer to a redemption the share token's lifecycle refuses: 410 once expired, 409
    /// once a redemption has started or failed.
    static func refusedRedemption(_ refusal: ShareTokenLifecycle.Refusal) -> ShareTokenFailure {
        switch refusal {
        case .expired: ShareTokenFailure(status: 410, title: "Share token expired", detail: refusal.description)
        case .failed: ShareTokenFailure(status: 409, title: "Share token failed", detail: refusal.description)
        case .alreadyRedeeming, .alreadyUsed, .notPending:
            ShareTokenFailure(status: 409, title: "Share token already redeemed", detail: refusal.description)
        }
    }

    /// 409: another redemption (or an expiry) changed the share token first.
    static let alreadyRedeemed = ShareTokenFailure(
        status: 409, title: "Share token already redeemed", detail: "a share token can be redeemed only once")

    /// 401: no valid API key.
    static let unauthenticated = ShareTokenFailure(
        status: 401, title: "Unauthorized",
        detail: "send the API key of an organization as Authorization: Bearer <api key>")

    /// The JSON pointer of an attribute of the request document.
    static func pointer(_ attribute: String) -> String { "/data/attributes/\(attribute)" }
}
