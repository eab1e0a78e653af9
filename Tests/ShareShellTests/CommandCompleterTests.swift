import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import SharePartners
import Testing
import ShareWire

@testable import ShareShell

@Suite("CommandCompleter")
struct CommandCompleterTests {
    let completer = CommandCompleter(partners: try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()]))

    @Test("completes top-level commands")
    func commands() {
        #expect(completer.complete("to").candidates == ["token"])
        #expect(completer.complete("").candidates.contains("introspect"))
        #expect(completer.complete("").candidates.contains("help"))
    }

    @Test("completes subcommands of a group")
    func subcommands() {
        #expect(completer.complete("token ").candidates == ["client-credentials", "exchange", "refresh"])
        #expect(completer.complete("token ex").candidates == ["exchange"])
        #expect(completer.complete("conn").candidates == ["connection"])
        #expect(completer.complete("connection ").candidates == ["accept", "create", "deactivate", "list", "reactivate", "show"])
        #expect(completer.complete("connection create --").candidates.contains("--destination"))
        #expect(completer.complete("share-token redeem cnst_1 --w").candidates == ["--wait"])
    }

    @Test("completes the flags of the command being typed")
    func flags() {
        let candidates = completer.complete("token exchange --").candidates
        #expect(candidates.contains("--partner"))
        #expect(candidates.contains("--to-client"))
        #expect(candidates.contains("--json"))
        #expect(completer.complete("share report --w").candidates == ["--with"])
    }

    @Test("completes partner ids after --partner and --with, inside a comma list")
    func partners() {
        #expect(completer.complete("token exchange --partner f").candidates == ["fannie-mae", "freddie-mac"])
        let completion = completer.complete("share report --with fannie-mae,ex")
        #expect(completion.candidates == ["fannie-mae,experian"])
        #expect(completion.prefixLength == "fannie-mae,ex".count)
    }

    @Test("the common prefix of several candidates")
    func commonPrefix() {
        #expect(Completion(prefixLength: 1, candidates: ["fannie-mae", "freddie-mac"]).commonPrefix == "f")
        #expect(Completion(prefixLength: 0, candidates: ["refresh", "revoke"]).commonPrefix == "re")
    }
}
