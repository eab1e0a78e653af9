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
        switch error {
        case let error as OAuthError:
            exitCode = .apiError
            summary = "\(error.code.rawValue): \(error.errorDescription ?? "no description") (HTTP \(error.status)"
                + (error.requestID.map { ", request_id \($0)" } ?? "") + ")"
        case let error as APIError:
            exitCode = .apiError
            summary = "\(error.errorCode): \(error.response.errorMessage) (HTTP \(error.status)"
                + (error.requestID.map { ", request_id \($0)" } ?? "") + ")"
        case let error as JSONAPIErrorDocument:
            exitCode = .apiError
            summary = error.description
        case let error as ShareTokenAPIError:
            exitCode = .apiError
            summary = error.errors.map(\.description).joined(separator: "; ") + " (HTTP \(error.status))"
        case let error as TransportError:
            exitCode = .transport
            summary = error.description
        case let error as ResponseDecodingError:
            exitCode = .transport
            summary = error.description
        case is CancellationError:
            exitCode = .transport
            summary = "cancelled"
        case let error as ValidationError:
            exitCode = .usage
            summary = error.message
        case let error as PartnerRegistryError:
            exitCode = .usage
            summary = error.description
        case let error as IdentifierError:
            exitCode = .usage
            summary = error.description
        case let error as InvalidRequestError:
            exitCode = .usage
            summary = error.description
        case let error as CredentialsError:
            exitCode = .usage
            summary = error.description
        default:
            exitCode = .transport
            summary = String(describing: error)
        }
    }

    /// `error: …`, in red on a colour terminal.
    func message(color: Bool) -> String {
        let label = color ? "\u{1B}[31merror:\u{1B}[0m" : "error:"
        return "\(label) \(summary)"
    }
}
