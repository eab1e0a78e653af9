import Foundation
import Logging
import ShareClient
import ShareCredentials
import SharePartners
import ShareSandbox
import ShareTransportAHC
import ShareWire
import Testing

@testable import ShareShell

/// `as ORG` and `--as ORG`: one session plays both sides of a share token.
@Suite("as ORG: acting as another organization")
struct ShellOrganizationTests {
    /// Runs `body` with one interpreter on a sandbox in this process, set up as `share` sets up
    /// the embedded sandbox: the demo organizations known, acting as the demo lender.
    func withShell(_ body: (inout ShellInterpreter) async throws -> Void) async throws {
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = URL(string: sandbox.url)!
                var context = ShellContext(target: .embedded(url), clientID: SandboxDemo.clientID, oauth: nil, partners: .empty)
                context.makeShareTokenClient = { ShareTokenClient(environment: .custom(url), apiKey: $0, transport: transport) }
                context.shareTokens = context.makeShareTokenClient?(APIKey(ShareTokenDemo.sourceAPIKey))
                context.organizations = ShellOrganizations(
                    known: ShareTokenDemo.seed.organizations.map { ($0.id, APIKey($0.apiKey)) }, environment: [:])
                context.defaultOrganization = ShareTokenDemo.sourceOrganizationID
                var shell = ShellInterpreter(context: context, style: OutputStyle(json: true, reveal: false, color: false))
                try await body(&shell)
            }
        }
    }

    func dataID(_ result: ShellInterpreter.LineResult) -> String? {
        guard let output = result.output, let value = try? JSONValue(parsing: Array(output.utf8)),
            case .string(let id)? = value.value(at: ["data", "id"])
        else { return nil }
        return id
    }

    @Test("create as the lender, `as org_demo-bank`, redeem the same token and see its events, in one session; the prompt shows the organization")
    func bothSidesInOneSession() async throws {
        try await withShell { shell in
            #expect(shell.prompt == "share:embedded> ")
            let created = await shell.run(line: "share-token create --connection \(ShareTokenDemo.connectionID) --source \(ShareTokenDemo.inquiryID)")
            let id = try #require(dataID(created), "\(created.error ?? "")")
            // As the lender, redeeming is refused: the token is not for this organization.
            let refused = await shell.run(line: "share-token redeem $last.id")
            #expect(refused.status == .apiError)

            let switched = await shell.run(line: "as \(ShareTokenDemo.destinationOrganizationID)")
            #expect(switched.status == .ok)
            #expect(switched.note == "share-token commands now act as \(ShareTokenDemo.destinationOrganizationID)")
            #expect(shell.prompt == "share:embedded as \(ShareTokenDemo.destinationOrganizationID)> ")

            let redeemed = await shell.run(line: "share-token redeem \(id)")
            #expect(redeemed.status == .ok, "\(redeemed.error ?? "")")
            #expect(dataID(redeemed) == id)
            let events = await shell.run(line: "events list")
            #expect(events.status == .ok, "\(events.error ?? "")")
            #expect(events.output?.contains(id) == true)

            let env = await shell.run(line: "env")
            #expect(env.output?.contains(#""organization" : "\#(ShareTokenDemo.destinationOrganizationID)""#) == true, "\(env.output ?? "")")
            let shown = await shell.run(line: "as")
            #expect(shown.output == "acting as \(ShareTokenDemo.destinationOrganizationID); known: \(ShareTokenDemo.sourceOrganizationID), \(ShareTokenDemo.destinationOrganizationID)")
            _ = await shell.run(line: "as \(ShareTokenDemo.sourceOrganizationID)")
            let get = await shell.run(line: "share-token get \(id)")
            #expect(get.status == .ok && dataID(get) == id)
        }
    }

    @Test("`as ORG COMMAND …` runs that one command as ORG; the organization in use stays as it was, also after a refusal")
    func oneCommandAs() async throws {
        try await withShell { shell in
            let created = await shell.run(line: "share-token create --connection \(ShareTokenDemo.connectionID) --source \(ShareTokenDemo.inquiryID)")
            let id = try #require(dataID(created), "\(created.error ?? "")")
            let redeemed = await shell.run(line: "as \(ShareTokenDemo.destinationOrganizationID) share-token redeem $last.id")
            #expect(redeemed.status == .ok, "\(redeemed.error ?? "")")
            #expect(dataID(redeemed) == id)
            #expect(shell.prompt == "share:embedded> ")
            #expect(shell.context.actingAs == nil)
            // The next line acts as the lender again: the bank's inbound view is not what it sees.
            let get = await shell.run(line: "share-token get \(id)")
            #expect(get.output?.contains(#""direction" : "outbound""#) == true, "\(get.output ?? get.error ?? "")")
            // A command that fails as ORG leaves the organization in use as it was, too.
            let refused = await shell.run(line: "as \(ShareTokenDemo.destinationOrganizationID) share-token expire \(id)")
            #expect(refused.status == .apiError)
            #expect(shell.context.actingAs == nil)
            // So does a switch made with `as` before: the one-line form returns to it.
            _ = await shell.run(line: "as \(ShareTokenDemo.destinationOrganizationID)")
            _ = await shell.run(line: "as \(ShareTokenDemo.sourceOrganizationID) share-token get \(id)")
            #expect(shell.context.actingAs == ShareTokenDemo.destinationOrganizationID)
            let unknown = await shell.run(line: "as org_nobody share-token get \(id)")
            #expect(unknown.status == .usage)
            #expect(unknown.error?.contains("SHARE_API_KEY_ORG_NOBODY") == true, "\(unknown.error ?? "")")
            #expect(await shell.run(line: "as org_demo-bank as org_demo-lender partners").status == .usage)
            #expect(shell.context.actingAs == ShareTokenDemo.destinationOrganizationID)
        }
    }

    @Test("an organization with no key is a usage error naming the known ones and the variable to set; the organization in use is kept")
    func unknownOrganization() async throws {
        try await withShell { shell in
            let result = await shell.run(line: "as org_nobody")
            #expect(result.status == .usage)
            #expect(result.error?.contains("known here: org_demo-lender, org_demo-bank; set SHARE_API_KEY_ORG_NOBODY to act as it") == true, "\(result.error ?? "")")
            #expect(shell.prompt == "share:embedded> ")
            let shown = await shell.run(line: "as")
            #expect(shown.output?.hasPrefix("acting as SHARE_API_KEY's organization (org_demo-lender)") == true)
        }
    }

    @Test("elsewhere an organization's key comes from SHARE_API_KEY_<ORG>")
    func keyFromEnvironment() throws {
        #expect(ShellOrganizations.environmentName(of: "org_demo-bank") == "SHARE_API_KEY_ORG_DEMO_BANK")
        let organizations = ShellOrganizations(known: [], environment: ["SHARE_API_KEY_ORG_DEMO_BANK": "bank-key"])
        #expect(try organizations.apiKey(for: "org_demo-bank").secret.revealed == "bank-key")
        #expect(throws: (any Error).self) { try organizations.apiKey(for: "org_other") }
        #expect(organizations.listing == ["$SHARE_API_KEY_ORG_DEMO_BANK"])
    }

    @Test("through a share-gateway `as ORG` sends Share-Organization: the client acts as ORG with no key; a malformed ORG is a usage error")
    func throughGateway() async throws {
        try await AHCTransport.withTransport { transport in
            let url = URL(string: "http://127.0.0.1:1")!
            var context = ShellContext(target: .gateway(url), clientID: "", oauth: nil, partners: .empty)
            context.shareTokens = ShareTokenClient(environment: .custom(url), apiKey: nil, transport: transport)
            context.makeGatewayShareTokenClient = { ShareTokenClient(environment: .custom(url), apiKey: nil, transport: transport, organization: $0) }
            try context.act(as: "org_demo-bank")
            #expect(context.actingAs == "org_demo-bank")
            #expect(context.shareTokens?.organization?.rawValue == "org_demo-bank")
            #expect(throws: (any Error).self) { try context.act(as: "bank") }
            #expect(context.shareTokens?.organization?.rawValue == "org_demo-bank", "a refused switch keeps the organization in use")
            var shell = ShellInterpreter(context: context, style: OutputStyle(json: true, reveal: false, color: false))
            #expect(await shell.run(line: "as not-an-org").status == .usage)
        }
    }
}
