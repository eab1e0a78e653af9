import Testing

@testable import ShareGateway

@Suite("UpstreamTarget")
struct UpstreamTargetTests {
    @Test(
        "base URLs give the host to connect to, the port, the Host header and the path prefix",
        arguments: [
            ("http://127.0.0.1:8080", false, "127.0.0.1", 8080, "127.0.0.1:8080", ""),
            ("https://production.plaid.com", true, "production.plaid.com", 443, "production.plaid.com", ""),
            ("https://api.example.com:443/v2", true, "api.example.com", 443, "api.example.com", "/v2"),
            ("http://localhost:80/", false, "localhost", 80, "localhost", ""),
            ("http://[::1]:9000/base/", false, "::1", 9000, "[::1]:9000", "/base"),
            ("HTTPS://[::1]", true, "::1", 443, "[::1]", ""),
        ])
    func parses(url: String, tls: Bool, host: String, port: Int, authority: String, prefix: String) throws {
        let target = try UpstreamTarget(baseURL: url)
        #expect(target.usesTLS == tls)
        #expect(target.host == host)
        #expect(target.port == port)
        #expect(target.authority == authority)
        #expect(target.pathPrefix == prefix)
    }

    @Test("malformed base URLs are refused", arguments: ["ftp://x", "http://", "http://host:port", "http://host:70000", "http://[::1]:x", "http://host:", "http://[::1]x"])
    func refuses(url: String) {
        #expect(throws: GatewayConfigurationError.self) { try UpstreamTarget(baseURL: url) }
    }

    @Test("IP literals are told apart from host names")
    func ipLiterals() throws {
        #expect(try UpstreamTarget(baseURL: "https://10.0.0.1").isIPAddress)
        #expect(try UpstreamTarget(baseURL: "https://[fe80::1]").isIPAddress)
        #expect(try !UpstreamTarget(baseURL: "https://api.example.com").isIPAddress)
    }
}
