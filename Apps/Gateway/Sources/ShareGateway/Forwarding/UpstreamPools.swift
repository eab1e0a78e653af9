import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// One ``UpstreamConnectionPool`` per event loop, created the first time a client connection on
/// that loop needs one.
final class UpstreamPools: Sendable {
    let target: UpstreamTarget
    private let tlsContext: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let maximumIdlePerLoop: Int
    private let pools = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<UpstreamConnectionPool>]>([:])

    /// `caFile` names a PEM file of certificate authorities trusted besides the system's.
    init(
        target: UpstreamTarget, caFile: String? = nil, connectTimeout: TimeAmount = .seconds(5), idleTimeout: TimeAmount = .seconds(30),
        maximumIdlePerLoop: Int = 512
    ) throws(GatewayConfigurationError) {
        self.target = target
        if target.usesTLS {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile {
                guard FileManager.default.isReadableFile(atPath: caFile) else {
                    throw GatewayConfigurationError("--upstream-ca: cannot read \(caFile)")
                }
                configuration.additionalTrustRoots = [.file(caFile)]
            }
            do {
                tlsContext = try NIOSSLContext(configuration: configuration)
            } catch {
                throw GatewayConfigurationError("TLS to the upstream cannot be set up (--upstream-ca holds no usable PEM certificate?): \(error)")
            }
        } else {
            tlsContext = nil
        }
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maximumIdlePerLoop = maximumIdlePerLoop
    }

    /// The pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: any EventLoop) -> UpstreamConnectionPool {
        let key = ObjectIdentifier(eventLoop)
        return pools.withLockedValue { pools in
            if let existing = pools[key] { return existing.value }
            let pool = UpstreamConnectionPool(
                eventLoop: eventLoop, target: target, tlsContext: tlsContext,
                connectTimeout: connectTimeout, idleTimeout: idleTimeout, maximumIdle: maximumIdlePerLoop)
            pools[key] = NIOLoopBound(pool, eventLoop: eventLoop)
            return pool
        }
    }

    /// Closes every pool's idle connections (after the server has finished its requests).
    func shutdown() async {
        let all = pools.withLockedValue { Array($0.values) }
        for bound in all {
            try? await bound.eventLoop.submit { bound.value.shutdown() }.get()
        }
    }
}
