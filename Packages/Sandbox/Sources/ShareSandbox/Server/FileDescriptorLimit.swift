#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`), which bounds how many
/// connections a server can hold.
///
/// Both servers raise the soft limit to the hard limit at start, as Go's runtime and nginx's
/// `worker_rlimit_nofile` do: the common default soft limit of 1,024 lets a thousand idle
/// connections take a server down, while the hard limit is usually far higher. Hand-written
/// because it is two system calls that no listed package wraps.
public enum FileDescriptorLimit {
    /// The soft and hard limits after an attempt to raise the soft one to the hard one. `nil`
    /// when the limits cannot be read.
    @discardableResult
    public static func raiseSoftLimitToHard() -> (soft: UInt64, hard: UInt64)? {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
            // Darwin refuses a soft limit above OPEN_MAX whatever the hard limit says.
            raised.rlim_cur = min(raised.rlim_cur, rlim_t(OPEN_MAX))
            #endif
            if setrlimit(resourceNoFile, &raised) == 0 { limit = raised }
        }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// The current soft limit, or `nil` when it cannot be read.
    public static var softLimit: UInt64? {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return nil }
        return UInt64(limit.rlim_cur)
    }

    #if canImport(Glibc)
    private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif
}
