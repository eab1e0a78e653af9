import ArgumentParser
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

    init(_ error: any Error) {
        (exitCode, summary) = Self.classify(error)
    }

    private static func classify(_ error: any Error) -> (ShellExitCode, String) {
        switch error {
        case let error as ShareClientError: (exitCode(of: error), summary(of: error))
        case let error as JSONAPIErrorDocument: (.apiError, error.description)
        case let error as ValidationError: (.usage, error.message)
        case let error as IdentifierError: (.usage, error.description)
        case let error as PartnerRegistryError: (.usage, error.description)
        case let error as CredentialsError: (.usage, error.description)
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
    private static func summary(of error: ShareClientError) -> String {
        let requestID = error.apiRequestID.map { ", request_id \($0)" } ?? ""
        let status = error.status.map { "HTTP \($0)" } ?? ""
        switch error.underlyingError {
        case let refusal as OAuthError:
            return "\(refusal.code.rawValue): \(refusal.errorDescription ?? "no description") (\(status)\(requestID))"
        case let refusal as APIError:
            return "\(refusal.errorCode): \(refusal.response.errorMessage) (\(status)\(requestID))"
        case let refusal as ShareTokenAPIError:
            return refusal.errors.map(\.description).joined(separator: "; ") + " (\(status))"
        case is CancellationError:
            return "cancelled"
        case let underlying:
            return "\(underlying)"
        }
    }

    /// `error: …`, in red on a colour terminal.
    func message(color: Bool) -> String {
        let label = color ? "\u{1B}[31merror:\u{1B}[0m" : "error:"
        return "\(label) \(summary)"
    }
}
