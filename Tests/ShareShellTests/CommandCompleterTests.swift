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

    @Test("after `as ORG `, the command to run as ORG completes as a line of its own")
    func commandAfterAs() {
        #expect(completer.complete("as org_demo-bank sha").candidates == ["share", "share-token"])
        #expect(completer.complete("as org_demo-bank share-token ").candidates.contains("redeem"))
        #expect(completer.complete("as org_demo-bank share-token redeem cnst_1 --w").candidates == ["--wait"])
        #expect(completer.complete("as org_demo-bank").candidates.isEmpty)
    }

    @Test("completes the sandbox commands, their flags, clock amounts, fault statuses and methods")
    func sandboxCommands() {
        #expect(completer.complete("sandbox ").candidates == ["clock", "fault", "faults", "reset"])
        #expect(completer.complete("sandbox clock ").candidates == ["advance", "reset", "show"])
        #expect(completer.complete("sandbox clock advance ").candidates == ["30s", "15m", "1h", "1d", "14d"])
        #expect(completer.complete("sandbox clock advance 1").candidates == ["15m", "1h", "1d", "14d"])
        #expect(completer.complete("sandbox fault ").candidates == ["add", "clear"])
        let flags = completer.complete("sandbox fault add --").candidates
        for flag in ["--path", "--method", "--client-id", "--status", "--body", "--delay-ms", "--drop-connection", "--times", "--json"] {
            #expect(flags.contains(flag), "\(flag) in \(flags)")
        }
        #expect(completer.complete("sandbox fault add --path /oauth/token --status 50").candidates == ["500", "502", "503", "504"])
        #expect(completer.complete("sandbox fault add --method P").candidates == ["POST"])
        #expect(completer.complete("sandbox fault add --path /oauth/t").candidates == ["/oauth/token"])
        #expect(completer.complete("sandbox reset --d").candidates == ["--delete-state"])
        #expect(completer.complete("events ").candidates == ["list", "redeliver"])
        // Elsewhere --status keeps its own values: no HTTP statuses for share-token list.
        #expect(completer.complete("share-token list --status 5").candidates.isEmpty)
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
