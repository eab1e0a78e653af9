import Foundation
import HTTPTypes
import Hummingbird
import ShareModels

/// The `links` of a page of a listing: absolute URLs (https://docs.withpersona.com/pagination)
/// built from the scheme and host the request came to (`X-Forwarded-Proto`/`X-Forwarded-Host`
/// when a proxy sets them), with the request's filters and page size.
struct PageLinks: Sendable {
    /// `scheme://host`, e.g. `http://127.0.0.1:8080`.
    let origin: String
    let path: String
    /// The filters to repeat in every link, e.g. `("filter[status]", "created")`.
    let filters: [(String, String)]

    init(request: Request, path: String, filters: [(String, String)] = []) {
        let forwardedProto = request.headers.value(of: HTTPField.Name("X-Forwarded-Proto")!)?.split(separator: ",").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let scheme = forwardedProto.flatMap { $0 == "https" || $0 == "http" ? $0 : nil } ?? request.uri.scheme?.rawValue ?? "http"
        let forwardedHost = request.headers.value(of: HTTPField.Name("X-Forwarded-Host")!)?.split(separator: ",").first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let host = [forwardedHost, request.head.authority, request.uri.host].compactMap { $0 }.first { Self.isHost($0) } ?? "localhost"
        origin = "\(scheme)://\(host)"
        self.path = path
        self.filters = filters
    }

    /// `links.prev` and `links.next` of `page`.
    func links<Item, ID: CustomStringConvertible>(_ page: CursorPage<Item, ID>, size: Int) -> JSONAPIListDocument<ShareToken>.Links {
        JSONAPIListDocument<ShareToken>.Links(
            prev: page.previous.map { url(("page[before]", $0.description), size: size) },
            next: page.next.map { url(("page[after]", $0.description), size: size) })
    }

    /// The URL of the page at `cursor`.
    func url(_ cursor: (String, String), size: Int) -> String {
        let pairs = [cursor, ("page[size]", String(size))] + filters
        return origin + path + "?" + pairs.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    /// Whether `text` can stand as the host (and port) of a URL: no scheme, path or spaces.
    private static func isHost(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || ".-:[]_".unicodeScalars.contains($0) }
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
