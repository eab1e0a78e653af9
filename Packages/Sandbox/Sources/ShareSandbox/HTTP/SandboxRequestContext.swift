import HTTPTypes
import Hummingbird

/// The request context of every sandbox route: Hummingbird's core storage plus the
/// `request_id` that every answer carries.
public struct SandboxRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `request_id` of this request's answer: 15 random letters and digits.
    public let requestID: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        requestID = RandomToken.alphanumeric(length: 15)
    }
}
