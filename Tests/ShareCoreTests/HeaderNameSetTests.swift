import Testing

import ShareCore

@Suite("HeaderNameSet")
struct HeaderNameSetTests {
    @Test("names match whatever their case; other names, longer or shorter, do not")
    func caseInsensitiveMatching() {
        let set = HeaderNameSet(["plaid-secret", "te", "X-Request-Id"])
        for name in ["plaid-secret", "PLAID-SECRET", "Plaid-Secret", "pLaId-SeCrEt", "TE", "te", "x-request-id", "X-REQUEST-ID"] {
            #expect(set.contains(name), "\(name)")
        }
        for name in ["plaid-secret2", "plaid-secre", "plaid_secret", "t", "tE ", "", "x-request-idx", "plaid-sécret"] {
            #expect(!set.contains(name), "\(name)")
        }
    }

    @Test("prefixes match whatever their case")
    func prefixes() {
        #expect(HeaderNameSet.hasPrefix("X-Forwarded-For", "x-forwarded-"))
        #expect(HeaderNameSet.hasPrefix("ACCESS-CONTROL-ALLOW-ORIGIN", "access-control-"))
        #expect(!HeaderNameSet.hasPrefix("X-Forwarded", "x-forwarded-"))
        #expect(!HeaderNameSet.hasPrefix("X-Forwardedx-For", "x-forwarded-"))
    }
}
