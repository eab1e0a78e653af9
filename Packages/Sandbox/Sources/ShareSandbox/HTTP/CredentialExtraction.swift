import HTTPTypes
import Hummingbird
import ShareCore

extension PresentedCredentials {
    /// The credentials of `request`'s headers and of its decoded body fields.
    init(request: Request, bodyClientID: String?, secret: String?, clientSecret: String?) {
        self.init()
        addHeaders(clientID: request.headers.value(of: .plaidClientID), secret: request.headers.value(of: .plaidSecret))
        if let authorization = request.headers.value(of: .authorization) { addAuthorization(authorization) }
        addBody(clientID: bodyClientID, secret: secret, clientSecret: clientSecret)
    }
}
