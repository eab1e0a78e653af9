import Foundation
import HTTPTypes
import Hummingbird

/// Accepts the `Persona-Version` header (https://docs.withpersona.com/versioning): a dated API
/// version such as `2025-12-08`. The sandbox serves one version of the API whatever the header
/// says; a value that is not a date in that form is refused with 400, since Persona's reference
/// lists the header as an enumeration of such dates. A request without a valid API key is left
/// to be refused with 401 first.
struct PersonaVersionMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    static let headerName = HTTPField.Name("Persona-Version")!

    let authority: ShareTokenAuthority

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let version = request.headers.value(of: Self.headerName), !Self.isVersion(version),
            (try? authority.authenticate(authorization: request.headers.value(of: .authorization))) != nil
        {
            let failure = ShareTokenFailure(
                status: 400, title: "Invalid header",
                detail: "Persona-Version must be an API version date in the form YYYY-MM-DD, e.g. 2025-12-08",
                source: .init(header: "Persona-Version"))
            return ShareTokenRoutes.document(failure.document, status: .badRequest, headers: [.cacheControl: "no-store"])
        }
        return try await next(request, context)
    }

    /// Whether `text` is a calendar date written `YYYY-MM-DD`.
    static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        var components = DateComponents(year: year, month: month, day: day)
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        return (1...12).contains(month) && components.isValidDate
    }
}
