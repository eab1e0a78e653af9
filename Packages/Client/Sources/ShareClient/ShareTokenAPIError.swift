public import ShareModels

/// The share-token API refused a request: a 4xx or 5xx answer with a JSON:API error document.
/// ``ShareTokenClient`` throws it as the ``ShareClientError/underlyingError`` of a
/// ``ShareClientError`` whose code is ``ShareClientError/Code/apiRefused``:
///
/// ```swift
/// do {
///     _ = try await shareTokens.redeem(id)
/// } catch where (error.underlyingError as? ShareTokenAPIError)?.status == 409 {
///     print("already redeemed")
/// } catch {
///     throw error
/// }
/// ```
public struct ShareTokenAPIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `errors` of the answer, each with its title, detail and the JSON pointer or query
    /// parameter at fault.
    public var errors: [JSONAPIError]
    /// The HTTP status.
    public var status: Int
    /// The operation that failed, e.g. `share-tokens.create`.
    public var operation: String
    /// The `X-Request-Id` the request was sent with.
    public var clientRequestID: String?

    public init(errors: [JSONAPIError], status: Int, operation: String, clientRequestID: String? = nil) {
        self.errors = errors
        self.status = status
        self.operation = operation
        self.clientRequestID = clientRequestID
    }

    /// The JSON pointers the errors name, e.g. `/data/attributes/expires-in-seconds`.
    public var pointers: [String] { errors.compactMap(\.source?.pointer) }

    public var description: String {
        var text = "\(operation) failed: " + errors.map(\.description).joined(separator: "; ")
        text += " (HTTP \(status)"
        if let clientRequestID { text += ", X-Request-Id \(clientRequestID)" }
        return text + ")"
    }
}
