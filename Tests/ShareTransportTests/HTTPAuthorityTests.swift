import ShareTransport
import Testing

@Suite("HTTPAuthority")
struct HTTPAuthorityTests {
    @Test(
        "host and port, with the default port when none is named",
        arguments: [
            ("example.com", "example.com", 443, false),
            ("example.com:8443", "example.com", 8443, false),
            ("127.0.0.1:8080", "127.0.0.1", 8080, true),
            ("[::1]", "::1", 443, true),
            ("[fe80::1]:9000", "fe80::1", 9000, true),
        ])
    func parses(text: String, host: String, port: Int, isIP: Bool) throws {
        let authority = try HTTPAuthority(parsing: text, defaultPort: 443)
        #expect(authority.host == host)
        #expect(authority.port == port)
        #expect(authority.isIPAddress == isIP)
        #expect(authority.bracketedHost == (host.contains(":") ? "[\(host)]" : host))
    }

    @Test(
        "user information, empty hosts and ports, bad ports and malformed IPv6 literals are refused without repeating the text",
        arguments: ["user:pw@example.com", "", ":80", "example.com:", "example.com:0", "example.com:65536", "example.com:x", "[::1", "[::1]x", "[::1]:"])
    func refuses(text: String) {
        #expect {
            try HTTPAuthority(parsing: text, defaultPort: 80)
        } throws: { error in
            (error as? TransportError)?.code == .invalidRequest && !"\(error)".contains("pw")
        }
    }
}
