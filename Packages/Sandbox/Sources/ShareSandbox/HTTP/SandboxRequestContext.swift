import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of every sandbox route: Hummingbird's core storage plus the
/// `request_id` that every answer carries.
public struct SandboxRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `request_id` of this request's answer: 15 random letters and digits.
    public let requestID: String
    /// The connection the request arrived on: a fault with `drop_connection` closes it.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
        requestID = RandomToken.alphanumeric(length: 15)
    }
}
