import ArgumentParser
import Foundation
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareTransport

/// A failed command, as one line for a person and an exit code for a script.
///
/// API errors show the API's error code and `request_id` (what a support ticket needs); nothing
/// here prints a secret or token, because every error type it formats redacts them.
struct ShellFailure: Sendable {
    var exitCode: ShellExitCode
    var summary: String

    /// - Parameters:
    ///   - error: What went wrong.
    ///   - target: The server the request went to, named when it cannot be reached.
    init(_ error: any Error, target: String? = nil) {
        (exitCode, summary) = Self.classify(error, target: target)
    }

    private static func classify(_ error: any Error, target: String?) -> (ShellExitCode, String) {
        switch error {
        case let error as ShareClientError: (exitCode(of: error), summary(of: error, target: target))
        case let error as JSONAPIErrorDocument: (.apiError, error.description)
        case let error as ValidationError: (.usage, error.message)
        case let error as IdentifierError: (.usage, error.description)
        case let error as PartnerRegistryError: (.usage, error.description)
        case let error as CredentialsError: (.usage, error.description)
        case let error as EmbeddedSandboxState.Failure: (.usage, error.description)
        // The target answered, refusing the control plane: the API's refusal, explained.
        case let error as ControlPlaneUnavailable: (.apiError, error.description)
        case let error as SecretPrompt.NotATerminal: (.usage, error.description)
        case let error as TransportError: (.transport, summary(of: error, target: target))
        case is CancellationError: (.transport, "cancelled")
        default: (.transport, String(describing: error))
        }
    }

    /// The one mapping of the clients' errors to exit codes: 1 when the API answered with an
    /// error, 2 when nothing could be sent (a usage or configuration problem), 3 when no answer came.
    private static func exitCode(of error: ShareClientError) -> ShellExitCode {
        switch error.code {
        case .apiRefused, .tokenFamilyRevoked: .apiError
        case .invalidRequest, .credentials, .partners: .usage
        // .transport, .unreadableResponse, .cancelled, and codes added later.
        default: .transport
        }
    }

    /// The API's own error code and `request_id` first (what a support ticket needs).
    private static func summary(of error: ShareClientError, target: String?) -> String {
        let requestID = error.apiRequestID.map { ", request_id \($0)" } ?? ""
        let status = error.status.map { "HTTP \($0)" } ?? ""
        switch error.underlyingError {
        case let refusal as OAuthError:
            return "\(refusal.code.rawValue): \(refusal.errorDescription ?? "no description") (\(status)\(requestID))"
        case let refusal as APIError:
            return "\(refusal.errorCode): \(refusal.response.errorMessage) (\(status)\(requestID))"
        case let refusal as ShareTokenAPIError:
            // Each JSON:API error starts with its status already.
            return refusal.errors.map(\.description).joined(separator: "; ")
        case let failure as TransportError:
            return summary(of: failure, target: target)
        case is CancellationError:
            return "cancelled"
        case let underlying:
            return "\(underlying)"
        }
    }

    /// A connection that failed names the server and why, in the words of the system
    /// (`cannot connect to http://127.0.0.1:1: connection refused`).
    private static func summary(of error: TransportError, target: String?) -> String {
        guard error.code == .connectionFailed else { return error.description }
        let server = target ?? "the server"
        let reason = [error.underlying.map { String(describing: $0) }, error.detail].compactMap { $0 }.joined(separator: " ")
        for (pattern, words) in Self.connectionReasons where reason.localizedCaseInsensitiveContains(pattern) {
            return "cannot connect to \(server): \(words)"
        }
        return "cannot connect to \(server): \(error.detail ?? "the connection failed")"
    }

    /// How the HTTP stack words a connection failure, and how the shell says it.
    private static let connectionReasons: [(String, String)] = [
        ("refused", "connection refused"),
        ("ECONNREFUSED", "connection refused"),
        ("errno: 111", "connection refused"),
        ("connectTimeout", "timed out connecting"),
        ("timed out", "timed out connecting"),
        ("lookup", "the host name does not resolve"),
        ("resolve", "the host name does not resolve"),
        ("unreachable", "the network is unreachable"),
    ]

    /// `error: …`, in red on a colour terminal.
    func message(color: Bool) -> String {
        let label = color ? "\u{1B}[31merror:\u{1B}[0m" : "error:"
        return "\(label) \(summary)"
    }
}
