import Foundation
import Testing
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// An upstream that answers every request with what it received, as JSON:
/// `{"method", "path", "query", "headers": [[name, value]…], "body", "peer"}`. Lets a test see
/// exactly what the gateway forwarded, and over which connection (`peer`, the gateway side's port).
struct RecordingUpstream {
    struct Context: RequestContext, RemoteAddressRequestContext {
        var coreContext: CoreRequestContextStorage
        let remoteAddress: SocketAddress?
        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            remoteAddress = source.channel.remoteAddress
        }
    }

    struct Echo: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            let echo: [String: Any] = [
                "method": request.method.rawValue,
                "path": request.uri.path,
                "query": request.uri.query ?? "",
                "headers": request.headers.map { [$0.name.canonicalName, $0.value] },
                "body": String(buffer: body),
                "peer": context.remoteAddress?.port ?? 0,
            ]
            let data = try JSONSerialization.data(withJSONObject: echo, options: [.sortedKeys])
            var headers: HTTPFields = [.contentType: "application/json"]
            // Headers a gateway must not relay.
            headers[.connection] = "keep-alive"
            headers[HTTPField.Name("Keep-Alive")!] = "timeout=5"
            headers[.accessControlAllowOrigin] = "*"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// Runs the upstream on a free loopback port for the duration of `body`.
    static func run<Value: Sendable>(_ body: @Sendable @escaping (String) async throws -> Value) async throws -> Value {
        let router = Router(context: Context.self)
        router.add(middleware: Echo())
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    /// What the upstream received, decoded from an echo response.
    struct Received {
        let method: String
        let path: String
        let query: String
        let headers: [(String, String)]
        let body: String
        /// The port of the gateway's upstream connection.
        let peer: Int

        init(_ buffer: ByteBuffer) throws {
            let object = try #require(JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
            method = object["method"] as? String ?? ""
            path = object["path"] as? String ?? ""
            query = object["query"] as? String ?? ""
            body = object["body"] as? String ?? ""
            peer = object["peer"] as? Int ?? 0
            headers = (object["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
        }

        func values(_ name: String) -> [String] {
            headers.filter { $0.0 == name.lowercased() }.map(\.1)
        }
    }
}
