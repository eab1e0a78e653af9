import Foundation
import Testing

@testable import ShareGateway

/// A `SHARE_GATEWAY_…` variable or config file key that is not a setting stops start-up instead of
/// being ignored; the known names are those the configuration reader reads.
@Suite("Gateway unknown settings")
struct GatewayUnknownSettingTests {
    func resolve(_ arguments: [String], environment: [String: String] = [:]) async throws -> GatewayConfiguration {
        try await GatewayCommand.parse(arguments).resolveConfiguration(environment: environment)
    }

    func withConfigFile<Value>(_ json: String, _ body: (String) async throws -> Value) async throws -> Value {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url.path)
    }

    /// A value of `option`'s type, as an environment variable and as a JSON value.
    func sample(for option: GatewayConfigurationSources.Option) -> (variable: String, json: Any) {
        switch option.type {
        case .int: ("1", 1)
        case .double: ("1.5", 1.5)
        case .bool: ("true", true)
        case .stringArray: ("x", ["x"])
        default: ("x", "x")
        }
    }

    @Test("every known variable name is the one the configuration reader reads, so none is refused")
    func knownVariablesAreRead() async throws {
        for option in GatewayConfiguration.options {
            let name = GatewayConfigurationSources.name(of: option.key, in: .environment)
            let sources = try await GatewayConfigurationSources(flags: [:], environment: [name: sample(for: option).variable], configFile: nil)
            try sources.refuseUnknownNames(options: GatewayConfiguration.options)
            let source = try #require(sources.source(of: option), "\(name) is not read")
            guard case .environment = source.kind else {
                Issue.record("\(name) is read from \(source.kind)")
                continue
            }
        }
        var everything: [String: String] = [:]
        for name in GatewayConfigurationSources.environmentNames(of: GatewayConfiguration.options) { everything[name] = "x" }
        #expect(everything.keys.contains(GatewayEnvironmentSetting.threads.name))
        #expect(everything.keys.contains("SHARE_GATEWAY_PLAID_SECRET"))
        try await GatewayConfigurationSources(flags: [:], environment: everything, configFile: nil)
            .refuseUnknownNames(options: GatewayConfiguration.options)
    }

    @Test("every known file key is the one the file provider reads, nested ones included")
    func knownFileKeysAreRead() async throws {
        var object: [String: Any] = [:]
        for option in GatewayConfiguration.options {
            let components = option.key.components
            if components.count == 2 {
                var nested = object[components[0]] as? [String: Any] ?? [:]
                nested[components[1]] = sample(for: option).json
                object[components[0]] = nested
            } else {
                try #require(components.count == 1)
                object[components[0]] = sample(for: option).json
            }
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        try await withConfigFile(json) { path in
            let sources = try await GatewayConfigurationSources(flags: [:], environment: [:], configFile: path)
            try sources.refuseUnknownNames(options: GatewayConfiguration.options)
            for option in GatewayConfiguration.options {
                let source = try #require(sources.source(of: option), "\(option.key) is not read")
                guard case .file = source.kind else {
                    Issue.record("\(option.key) is read from \(source.kind)")
                    continue
                }
            }
        }
    }

    @Test("a misspelled variable is named with the setting it most likely meant, never with its value")
    func misspelledVariable() async throws {
        await #expect {
            try await resolve([], environment: ["SHARE_GATEWAY_METRICS_TOKN": "metrics-secret-0123456789"])
        } throws: { error in
            String(describing: error) == "SHARE_GATEWAY_METRICS_TOKN is not a setting of share-gateway; did you mean SHARE_GATEWAY_METRICS_TOKEN?"
        }
        await #expect {
            try await resolve(["--port", "0"], environment: ["SHARE_GATEWAY_FAVOURITE_COLOUR": "blue", "SHARE_GATEWAY_RATELIMIT": "5", "SHARE_GATEWAY_PORT": "9000"])
        } throws: { error in
            String(describing: error) == """
                SHARE_GATEWAY_FAVOURITE_COLOUR is not a setting of share-gateway
                SHARE_GATEWAY_RATELIMIT is not a setting of share-gateway; did you mean SHARE_GATEWAY_RATE_LIMIT?
                """
        }
    }

    @Test("variables outside the namespace are not the gateway's to judge")
    func otherVariables() async throws {
        _ = try await resolve([], environment: ["SHARE_GATEWAYS": "x", "SHARE_GATEWAYPORT": "x", "PLAID_CLIENT_IDS": "x", "GATEWAY_PORT": "x"])
    }

    @Test("a setting spelled in lower or mixed case is refused with its upper-case name, not ignored")
    func lowerCaseVariable() async throws {
        await #expect {
            try await resolve([], environment: ["share_gateway_port": "9000", "Share_Gateway_Rate_Limit": "5"])
        } throws: { error in
            String(describing: error) == """
                Share_Gateway_Rate_Limit is not a setting of share-gateway; did you mean SHARE_GATEWAY_RATE_LIMIT?
                share_gateway_port is not a setting of share-gateway; did you mean SHARE_GATEWAY_PORT?
                """
        }
    }

    @Test("an unknown config file key is named with the file and the key it most likely meant")
    func unknownFileKey() async throws {
        _ = try await withConfigFile(#"{"port": 9300, "rateLimt": 5, "plaid": {"client_id": "id", "secert": "s"}, "favouriteColour": "blue"}"#) { path in
            await #expect {
                try await resolve(["--config", path])
            } throws: { error in
                String(describing: error) == """
                    "favouriteColour" in \(path) is not a setting of share-gateway
                    "plaid.secert" in \(path) is not a setting of share-gateway; did you mean "plaid.secret"?
                    "rateLimt" in \(path) is not a setting of share-gateway; did you mean "rateLimit"?
                    """
            }
        }
        let configuration = try await withConfigFile(#"{"port": 9300, "rateLimit": 5, "plaid": {}}"#) { path in
            try await resolve(["--config", path])
        }
        #expect(configuration.port == 9300)
    }
}
