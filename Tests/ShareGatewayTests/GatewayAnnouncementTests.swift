import Testing

@testable import ShareGateway

/// The ready line's address and console URL (the process tests read it from the binary).
@Suite("Gateway ready line")
struct GatewayAnnouncementTests {
    @Test("https when the gateway serves TLS, an IPv6 host in brackets, no console when it is off")
    func addressForms() {
        var configuration = GatewayConfiguration()
        configuration.tlsCertificateFile = "cert.pem"
        configuration.tlsKeyFile = "key.pem"
        #expect(
            GatewayAnnouncement.ready(configuration: configuration, port: 8443, upstreamURL: "http://127.0.0.1:9")
                == "share-gateway listening on https://127.0.0.1:8443 (upstream embedded sandbox at http://127.0.0.1:9; console https://127.0.0.1:8443/console/)")
        configuration = GatewayConfiguration()
        configuration.host = "::1"
        configuration.upstream = .production
        #expect(
            GatewayAnnouncement.ready(configuration: configuration, port: 8081, upstreamURL: UpstreamSetting.productionURL)
                == "share-gateway listening on http://[::1]:8081 (upstream https://production.plaid.com)")
    }
}
