import Foundation
import NIOConcurrencyHelpers
import NIOSSL

/// The gateway's HTTPS side: a certificate chain and private key read from PEM files, as an
/// `NIOSSLContext` that ``reload()`` replaces (on `SIGHUP`, ``CertificateReloadService``).
///
/// Each new connection takes the context current when it opens; a connection already open keeps
/// the one it started with, so a reload drops nothing. TLS 1.2 and 1.3 only; for TLS 1.2, only
/// ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (forward secrecy, AEAD), as in Mozilla's
/// "intermediate" profile (https://wiki.mozilla.org/Security/Server_Side_TLS); TLS 1.3's suites
/// are all of that kind.
public final class ReloadableServerTLS: Sendable {
    /// The TLS 1.2 cipher suites offered, in OpenSSL's notation.
    static let cipherSuites = "ECDHE+AESGCM:ECDHE+CHACHA20"

    let certificateFile: String
    let keyFile: String
    private let current: NIOLockedValueBox<NIOSSLContext>

    /// Reads `certificateFile` (a PEM chain, leaf first) and `keyFile` (a PEM private key).
    public init(certificateFile: String, keyFile: String) throws(GatewayConfigurationError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.current = NIOLockedValueBox(try Self.makeContext(certificateFile: certificateFile, keyFile: keyFile))
    }

    /// The context a connection opening now uses.
    var context: NIOSSLContext {
        current.withLockedValue { $0 }
    }

    /// Reads the files again and serves what they hold to connections opened from now on. When
    /// they cannot be used, throws and keeps serving the previous certificate.
    public func reload() throws(GatewayConfigurationError) {
        let context = try Self.makeContext(certificateFile: certificateFile, keyFile: keyFile)
        current.withLockedValue { $0 = context }
    }

    static func makeContext(certificateFile: String, keyFile: String) throws(GatewayConfigurationError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw GatewayConfigurationError("--tls-certificate: cannot read a PEM certificate from \(certificateFile)")
        }
        guard !chain.isEmpty else { throw GatewayConfigurationError("--tls-certificate: \(certificateFile) holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            // The key's contents never appear in the message.
            throw GatewayConfigurationError("--tls-key: cannot read a PEM private key from \(keyFile)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = cipherSuites
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw GatewayConfigurationError("--tls-certificate and --tls-key cannot be used together (does the key match the certificate?): \(error)")
        }
    }
}
