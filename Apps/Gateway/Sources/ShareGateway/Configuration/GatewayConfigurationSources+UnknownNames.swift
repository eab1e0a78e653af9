extension GatewayConfigurationSources {
    /// Every environment variable the gateway reads: each of `options` under
    /// ``environmentNamePrefix`` (`SHARE_GATEWAY_RATE_LIMIT`), then the
    /// ``GatewayEnvironmentSetting`` variables read outside the configuration reader.
    static func environmentNames(of options: [Option]) -> [String] {
        options.map { name(of: $0.key, in: .environment) } + GatewayEnvironmentSetting.allCases.map(\.name)
    }

    /// Every config file key the gateway reads: each of `options`, its components joined with `.`
    /// (`rateLimit`, `plaid.client_id`).
    static func fileKeys(of options: [Option]) -> [String] {
        options.map { $0.key.components.joined(separator: ".") }
    }

    /// Refuses every environment variable in the gateway's namespace and every config file key
    /// that is not one of `options` (or, for the environment, a ``GatewayEnvironmentSetting``),
    /// one line each, naming it — never its value, which may be a secret — and the setting it
    /// most likely meant (``SettingNameSuggestion``): `SHARE_GATEWAY_RATELIMIT is not a setting
    /// of share-gateway; did you mean SHARE_GATEWAY_RATE_LIMIT?`. Else an operator would
    /// believe in force a setting that is not.
    func refuseUnknownNames(options: [Option]) throws(GatewayConfigurationError) {
        var refusals: [String] = []
        let variables = Self.environmentNames(of: options)
        for variable in environmentNames where !variables.contains(variable) {
            refusals.append(Self.refusal(of: variable, suggesting: SettingNameSuggestion.nearest(to: variable, among: variables)))
        }
        if let file {
            let keys = Self.fileKeys(of: options)
            for key in file.keys where !keys.contains(key) {
                let suggestion = SettingNameSuggestion.nearest(to: key, among: keys)
                refusals.append(Self.refusal(of: #""\#(key)" in \#(file.path)"#, suggesting: suggestion.map { #""\#($0)""# }))
            }
        }
        guard refusals.isEmpty else { throw GatewayConfigurationError(refusals.joined(separator: "\n")) }
    }

    /// `name is not a setting of share-gateway`, with `; did you mean suggestion?` when there is one.
    private static func refusal(of name: String, suggesting suggestion: String?) -> String {
        "\(name) is not a setting of share-gateway" + (suggestion.map { "; did you mean \($0)?" } ?? "")
    }
}
