import Hummingbird
import Logging

/// Starts what a configuration asks for: the embedded sandbox when the upstream is `embedded`,
/// then the gateway in front of it.
public enum GatewayLauncher {
    public static func makeApplication(configuration: GatewayConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
        switch configuration.upstream {
        case .embedded:
            throw GatewayConfigurationError("the embedded sandbox is not part of this build; pass --upstream URL")
        default:
            let components = try GatewayComponents(configuration: configuration)
            return buildApplication(components: components, logger: logger)
        }
    }
}
