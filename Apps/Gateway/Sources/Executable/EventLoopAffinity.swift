#if os(Linux)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Pins each of the gateway's event-loop threads to its own CPU (`SHARE_GATEWAY_CPU_AFFINITY=1`):
/// loop *i* to the *i*-th CPU the process may use, wrapping around — what nginx's
/// `worker_cpu_affinity auto` does for its workers. On a machine the gateway shares with other
/// busy processes, this keeps two loops from queueing behind each other on one CPU, which shows as
/// a latency tail (docs/gateway.md, Performance).
///
/// Hand-written: SwiftNIO pins threads only of groups it creates with `pinnedCPUIDs`, not those
/// of the singleton group the gateway runs Swift concurrency on; this asks each loop to pin its
/// own thread with `sched_setaffinity`. Linux only; elsewhere it does nothing.
///
/// A thread inherits the affinity of the thread that creates it, so a thread a pinned loop starts
/// is confined to that loop's CPU. NIO's blocking pool, which starts on first use, is therefore
/// started before the loops are pinned; libdispatch's workers, which it starts on demand from
/// whichever thread queues work, are not covered — hence the option is meant for a gateway in
/// front of a remote upstream, not for the embedded sandbox (docs/gateway.md).
enum EventLoopAffinity {
    /// Pins the loops of `group`; returns how many were pinned.
    static func pin(_ group: MultiThreadedEventLoopGroup) async -> Int {
        #if os(Linux)
        let cpus = allowedCPUs()
        guard !cpus.isEmpty else { return 0 }
        _ = NIOSingletons.posixBlockingThreadPool
        var pinned = 0
        for (index, loop) in group.makeIterator().enumerated() {
            let cpu = cpus[index % cpus.count]
            if (try? await loop.submit({ pinCurrentThread(to: cpu) }).get()) == true { pinned += 1 }
        }
        return pinned
        #else
        return 0
        #endif
    }

    #if os(Linux)
    /// `sched_getaffinity`/`sched_setaffinity(pid, size, mask)`: glibc exports them, but Swift's
    /// Glibc module leaves them out (they need `_GNU_SOURCE`), so they are looked up by name.
    private typealias AffinityCall = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
    private static let getAffinity = lookUp("sched_getaffinity")
    private static let setAffinity = lookUp("sched_setaffinity")

    private static func lookUp(_ name: String) -> AffinityCall? {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(symbol, to: AffinityCall.self)
    }

    /// The CPUs this process may run on.
    private static func allowedCPUs() -> [Int] {
        guard let getAffinity else { return [] }
        var set = cpu_set_t()
        let size = MemoryLayout<cpu_set_t>.size
        let result = withUnsafeMutableBytes(of: &set) { getAffinity(0, size, $0.baseAddress!) }
        guard result == 0 else { return [] }
        return withUnsafeBytes(of: &set) { raw in
            (0..<(raw.count * 8)).filter { raw[$0 / 8] & (1 << UInt8($0 % 8)) != 0 }
        }
    }

    /// Pid 0 is the calling thread.
    private static func pinCurrentThread(to cpu: Int) -> Bool {
        guard let setAffinity else { return false }
        var set = cpu_set_t()
        let size = MemoryLayout<cpu_set_t>.size
        return withUnsafeMutableBytes(of: &set) { raw in
            raw[cpu / 8] |= 1 << UInt8(cpu % 8)
            return setAffinity(0, size, raw.baseAddress!) == 0
        }
    }
    #endif
}
