/// The environment variables `share-gateway` reads outside its options' configuration reader:
/// the config file's path, and the two read before anything starts (so that only the
/// environment sets them).
///
/// With ``GatewayConfiguration``'s options, the whole of the gateway's `SHARE_GATEWAY_…`
/// namespace: any other variable in it stops start-up.
public enum GatewayEnvironmentSetting: String, CaseIterable, Sendable {
    /// The JSON configuration file, when `--config` is not given.
    case config = "SHARE_GATEWAY_CONFIG"
    /// The number of event-loop threads (a positive integer; default one per core).
    case threads = "SHARE_GATEWAY_THREADS"
    /// `1` pins each event loop to its own CPU; `0` (the default) does not.
    case cpuAffinity = "SHARE_GATEWAY_CPU_AFFINITY"

    /// The variable's name.
    public var name: String { rawValue }
}
