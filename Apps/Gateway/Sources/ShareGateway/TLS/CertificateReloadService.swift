import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the HTTPS certificate (``ReloadableServerTLS/reload()``) each time the process gets
/// `SIGHUP`, until graceful shutdown. A certificate that cannot be loaded is logged and the
/// previous one kept.
struct CertificateReloadService: Service {
    let tls: ReloadableServerTLS
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                try tls.reload()
                logger.notice("TLS certificate reloaded", metadata: ["certificate": .string(tls.certificateFile)])
            } catch {
                logger.error("TLS certificate not reloaded; the previous one is still served", metadata: ["error": .string(error.description)])
            }
        }
    }
}
