import Crypto
import Foundation
import X509

/// A throwaway certificate for `localhost`, signed by its own key: the upstream of TLS tests
/// presents it, and the gateway trusts it only when given it with `--upstream-ca`.
struct SelfSignedCertificate {
    let certificatePEM: String
    let privateKeyPEM: String

    init(hostname: String = "localhost") throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(hostname) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 3600,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName(hostname)])
            },
            issuerPrivateKey: .init(key)
        )
        certificatePEM = try certificate.serializeAsPEM().pemString
        privateKeyPEM = key.pemRepresentation
    }
}
