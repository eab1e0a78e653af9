import Configuration
import Foundation
import ShareWire
import SystemPackage

/// Where the gateway's options come from — flags, then the environment (`SHARE_GATEWAY_…`), then a
/// JSON file — so that a bad value is refused naming its source and key
/// (`SHARE_GATEWAY_PORT=abc: must be an integer`) instead of being skipped for the next source
/// or the default.
public struct GatewayConfigurationSources: Sendable {
    /// One source: the provider and how its keys are written there.
    struct Source: Sendable {
        enum Kind: Sendable { case flags, environment, file(String) }
        let kind: Kind
        let provider: any ConfigProvider
    }

    let sources: [Source]
    /// The names of the environment's variables in the gateway's namespace
    /// (``environmentNamePrefix``, in any case: `share_gateway_port` is a misspelling the gateway
    /// names, not a variable it may ignore), whether or not they are settings.
    let environmentNames: [String]
    /// The config file's path and its keys, nested objects' joined with `.` (`plaid.client_id`).
    let file: (path: String, keys: [String])?

    /// The prefix of the gateway's environment variables.
    static let environmentNamePrefix = "SHARE_GATEWAY_"

    /// The sources, highest precedence first: `flags`, the environment (prefixed with
    /// ``GatewayConfiguration/environmentPrefix``), then the JSON file at `configFile` (when given).
    public init(flags: [AbsoluteConfigKey: ConfigValue], environment: [String: String], configFile: String?) async throws(GatewayConfigurationError) {
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(Set(GatewayConfiguration.options.filter(\.isSecret).map { Self.name(of: $0.key, in: .environment) }))
        )
        var sources = [
            Source(kind: .flags, provider: InMemoryProvider(name: "flags", values: flags)),
            Source(kind: .environment, provider: KeyMappingProvider(upstream: environmentProvider) { $0.prepending(GatewayConfiguration.environmentPrefix) }),
        ]
        var file: (path: String, keys: [String])?
        if let configFile {
            do {
                sources.append(Source(kind: .file(configFile), provider: try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile))))
                file = (configFile, try Self.keys(ofJSONFileAt: configFile))
            } catch {
                if let data = FileManager.default.contents(atPath: configFile), let reason = WireJSON.syntaxError(in: data) {
                    throw GatewayConfigurationError("config file \(configFile) is not JSON: \(reason)")
                }
                throw GatewayConfigurationError("config file \(configFile) cannot be read as a JSON object (\(error))")
            }
        }
        self.sources = sources
        self.environmentNames = environment.keys.filter { $0.uppercased().hasPrefix(Self.environmentNamePrefix) }.sorted()
        self.file = file
    }

    /// The keys of the JSON object in the file at `path`, as the file provider reads them: a
    /// nested object's joined with `.` (`{"plaid": {"secret": …}}` has `plaid.secret`).
    private static func keys(ofJSONFileAt path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        func keys(of object: [String: Any], under parent: [String]) -> [String] {
            object.flatMap { key, value in
                if let nested = value as? [String: Any] { return keys(of: nested, under: parent + [key]) }
                return [(parent + [key]).joined(separator: ".")]
            }
        }
        return keys(of: object, under: []).sorted()
    }

    /// The providers, for a `ConfigReader`.
    public var providers: [any ConfigProvider] { sources.map(\.provider) }

    /// An option's key and the type its value must have.
    struct Option: Sendable {
        let key: ConfigKey
        let type: ConfigType
        let isSecret: Bool
    }

    /// Checks that every source's value for each of `options` has the option's type; the first that
    /// does not is refused, naming the source, the key and (unless secret) the value.
    func checkTypes(of options: [Option]) throws(GatewayConfigurationError) {
        for option in options {
            for source in sources {
                let key = AbsoluteConfigKey(option.key)
                do {
                    _ = try source.provider.value(forKey: key, type: option.type)
                } catch {
                    let shown = option.isSecret ? nil : (try? source.provider.value(forKey: key, type: .string).value?.content).flatMap {
                        if case .string(let text) = $0 { text } else { nil }
                    }
                    throw GatewayConfigurationError(
                        "\(Self.name(of: option.key, in: source.kind, value: shown)): must be \(Self.describe(option.type))")
                }
            }
        }
    }

    /// `error`, a rule an option's value broke (its message starts with the option's flag, as
    /// `--port must be between 0 and 65535`), naming the environment variable or file key the
    /// value came from when it was not a flag: `SHARE_GATEWAY_PORT=70000 is refused: --port must …`.
    func namingSource(_ error: GatewayConfigurationError, options: [Option]) -> GatewayConfigurationError {
        guard error.message.hasPrefix("--") else { return error }
        let flag = error.message.dropFirst(2).prefix { $0.isLetter || $0 == "-" }
        guard let option = options.first(where: { Self.words(of: $0.key).joined(separator: "-") == flag }),
            let source = source(of: option)
        else { return error }
        if case .flags = source.kind { return error }
        let shown = option.isSecret ? nil : (try? source.provider.value(forKey: AbsoluteConfigKey(option.key), type: .string).value?.content).flatMap {
            if case .string(let text) = $0 { text } else { nil }
        }
        return GatewayConfigurationError("\(Self.name(of: option.key, in: source.kind, value: shown)) is refused: \(error.message)")
    }

    /// The source `option`'s value comes from: the first, in precedence order, with a value of
    /// the option's type for its key.
    func source(of option: Option) -> Source? {
        sources.first { (try? $0.provider.value(forKey: AbsoluteConfigKey(option.key), type: option.type).value) != nil }
    }

    /// `key` as `kind` writes it, with `value` when known: `--port abc`, `SHARE_GATEWAY_PORT=abc`,
    /// `{"port":"abc"} in FILE`.
    static func name(of key: ConfigKey, in kind: Source.Kind, value: String? = nil) -> String {
        switch kind {
        case .flags:
            return "--" + words(of: key).joined(separator: "-") + (value.map { " \($0)" } ?? "")
        case .environment:
            return environmentNamePrefix + words(of: key).joined(separator: "_").uppercased() + (value.map { "=\($0)" } ?? "")
        case .file(let path):
            let name = key.components.joined(separator: ".")
            return (value.map { #"{"\#(name)":"\#($0)"}"# } ?? #""\#(name)""#) + " in \(path)"
        }
    }

    /// The lower-case words of a camel-case key: `upstreamCA` is `upstream`, `ca`.
    private static func words(of key: ConfigKey) -> [String] {
        var words: [String] = []
        for component in key.components {
            var current = ""
            var previousIsLower = false
            for character in component {
                if character.isUppercase && previousIsLower {
                    words.append(current)
                    current = ""
                }
                previousIsLower = character.isLowercase || character.isNumber
                current.append(Character(character.lowercased()))
            }
            words.append(current)
        }
        return words
    }

    private static func describe(_ type: ConfigType) -> String {
        switch type {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        case .string: "a string"
        case .stringArray: "a list of strings"
        default: "a \(type.rawValue)"
        }
    }
}
