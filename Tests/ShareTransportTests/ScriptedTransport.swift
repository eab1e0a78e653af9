import Foundation
import HTTPTypes
import ShareTransport

/// An in-memory transport that answers from a script, one outcome per attempt, and records every
/// request it saw.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    enum Step: Sendable {
        case respond(Int, headers: HTTPFields = [:], body: String = "{}")
        case fail(TransportError)
        /// Never answers until cancelled.
        case hang
    }

    private let lock = Lock()
    private var steps: [Step]
    private var seen: [HTTPRequest] = []

    init(_ steps: [Step]) { self.steps = steps }

    var requests: [HTTPRequest] { lock.withLock { seen } }

    func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
        let step: Step = lock.withLock {
            seen.append(request)
            return steps.isEmpty ? .respond(200) : steps.removeFirst()
        }
        switch step {
        case .respond(let status, let headers, let body):
            return (HTTPResponse(status: .init(code: status), headerFields: headers), HTTPBody(body))
        case .fail(let error):
            throw error
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
    }
}

/// Records the waits a ``RetryMiddleware`` asks for instead of taking them.
final class SleepRecorder: @unchecked Sendable {
    private let lock = Lock()
    private var recorded: [Duration] = []
    var sleeps: [Duration] { lock.withLock { recorded } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in lock.withLock { recorded.append(duration) } }
    }
}

/// A minimal lock for test doubles shared across tasks.
final class Lock: @unchecked Sendable {
    private let mutex = NSLock()
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body()
    }
}

func request(_ method: HTTPRequest.Method = .post, path: String = "/oauth/introspect") -> HTTPRequest {
    HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:1", path: path)
}
