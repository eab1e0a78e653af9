import Testing

@testable import ShareGateway

/// The matching behind `… is not a setting of share-gateway; did you mean …?`, as a pure function.
@Suite("setting name suggestion")
struct SettingNameSuggestionTests {
    static let variables = GatewayConfigurationSources.environmentNames(of: GatewayConfiguration.options)
    static let fileKeys = GatewayConfigurationSources.fileKeys(of: GatewayConfiguration.options)

    @Test("the edit distance counts single-character insertions, deletions and substitutions", arguments: [
        ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("PORT", "PORT", 0), ("PORT", "POST", 1), ("PORT", "PORTS", 1),
        ("PORT", "ORT", 1), ("kitten", "sitting", 3), ("UPSTREM_URL", "UPSTREAM", 5), ("ab", "ba", 2),
    ])
    func editDistance(first: String, second: String, distance: Int) {
        #expect(SettingNameSuggestion.editDistance(first, second) == distance)
        #expect(SettingNameSuggestion.editDistance(second, first) == distance)
    }

    @Test("a name within three edits of a known one, or with its letters, gets it suggested", arguments: [
        ("SHARE_GATEWAY_UPSTREM", "SHARE_GATEWAY_UPSTREAM"),
        ("SHARE_GATEWAY_RATELIMIT", "SHARE_GATEWAY_RATE_LIMIT"),
        ("SHARE_GATEWAY_THREAD", "SHARE_GATEWAY_THREADS"),
        ("SHARE_GATEWAY_CPUAFFINITY", "SHARE_GATEWAY_CPU_AFFINITY"),
        ("SHARE_GATEWAY_METRIC_TOKN", "SHARE_GATEWAY_METRICS_TOKEN"),
        ("SHARE_GATEWAY_CONFG", "SHARE_GATEWAY_CONFIG"),
        ("SHARE_GATEWAY_PLAID_CLIENTID", "SHARE_GATEWAY_PLAID_CLIENT_ID"),
        // More than three edits away, but the same letters.
        ("SHARE_GATEWAY_MAXCONNECTIONSPERCLIENT_", "SHARE_GATEWAY_MAX_CONNECTIONS_PER_CLIENT"),
    ])
    func suggestsVariable(name: String, suggestion: String) {
        #expect(SettingNameSuggestion.nearest(to: name, among: Self.variables) == suggestion)
    }

    @Test("a name far from every known one gets no suggestion", arguments: [
        "SHARE_GATEWAY_FAVOURITE_COLOUR", "SHARE_GATEWAY_", "SHARE_GATEWAY_UPSTREM_URL", "SHARE_GATEWAY_WORKERS",
    ])
    func noSuggestion(name: String) {
        #expect(SettingNameSuggestion.nearest(to: name, among: Self.variables) == nil)
    }

    @Test("config file keys are matched the same way, ignoring case and separators for the same letters")
    func fileKeys() {
        #expect(SettingNameSuggestion.nearest(to: "rateLimt", among: Self.fileKeys) == "rateLimit")
        #expect(SettingNameSuggestion.nearest(to: "ratelimit", among: Self.fileKeys) == "rateLimit")
        #expect(SettingNameSuggestion.nearest(to: "max-connections-per-client", among: Self.fileKeys) == "maxConnectionsPerClient")
        #expect(SettingNameSuggestion.nearest(to: "plaid.clientId", among: Self.fileKeys) == "plaid.client_id")
        #expect(SettingNameSuggestion.nearest(to: "favouriteColour", among: Self.fileKeys) == nil)
    }

    @Test("exactly three edits is suggested, four is not; on a tie the first known name wins")
    func boundaries() {
        #expect(SettingNameSuggestion.nearest(to: "ABCxyz", among: ["ABCDEF"]) == "ABCDEF")
        #expect(SettingNameSuggestion.nearest(to: "ABwxyz", among: ["ABCDEF"]) == nil)
        #expect(SettingNameSuggestion.nearest(to: "POXT", among: ["HOST", "PORT", "POST"]) == "PORT")
        #expect(SettingNameSuggestion.nearest(to: "POST", among: ["HOSTS", "PORT", "POTS"]) == "PORT")
        #expect(SettingNameSuggestion.nearest(to: "X", among: []) == nil)
    }
}
