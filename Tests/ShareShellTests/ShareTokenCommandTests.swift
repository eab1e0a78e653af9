import Foundation
import HTTPTypes
import Logging
import ShareClient
import ShareCredentials
import SharePartners
import ShareSandbox
import ShareTransport
import ShareTransportAHC
import ShareWire
import Testing

@testable import ShareShell

/// `share-token …` and `events list` against a sandbox in this process, as the demo lender and
/// the demo bank.
@Suite("share-token and events commands")
struct ShareTokenCommandTests {
    /// Runs `body` with two interpreters on one sandbox: the lender's and the bank's (or one
    /// without a key when `bankKey` is `nil`).
    func withShells(bankKey: String? = ShareTokenDemo.destinationAPIKey, _ body: (inout ShellInterpreter, inout ShellInterpreter) async throws -> Void)
        async throws
    {
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = URL(string: sandbox.url)!
                func shell(_ key: String?) -> ShellInterpreter {
                    let oauth = OAuthClient(
                        environment: .custom(url), credentials: ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret),
                        transport: transport)
                    var context = ShellContext(target: .embedded(url), clientID: SandboxDemo.clientID, oauth: oauth, partners: .empty)
                    context.shareTokens = key.map { ShareTokenClient(environment: .custom(url), apiKey: APIKey($0), transport: transport) }
                    return ShellInterpreter(context: context, style: OutputStyle(json: true, reveal: false, color: false))
                }
                var lender = shell(ShareTokenDemo.sourceAPIKey)
                var bank = shell(bankKey)
                try await body(&lender, &bank)
            }
        }
    }

    /// The value at `path` under the `data` of the JSON:API document printed, as `--json` prints
    /// it: the API's answer, wrapper included.
    func value(_ result: ShellInterpreter.LineResult, _ path: String...) -> JSONValue? {
        guard let output = result.output, let value = try? JSONValue(parsing: Array(output.utf8)) else { return nil }
        return value.value(at: ["data"] + path)
    }

    @Test("create as the lender, redeem as the bank, list and read events")
    func lifecycle() async throws {
        try await withShells { lender, bank in
            let created = await lender.run(line: "share-token create --connection cxn_demo --source inq_demo --expires-in 3600")
            #expect(created.status == .ok, "\(created.error ?? "")")
            #expect(value(created, "attributes", "status") == .string("created"))
            guard case .string(let id) = value(created, "id") else {
                Issue.record("no id: \(created.output ?? created.error ?? "")")
                return
            }
            let redeemed = await bank.run(line: "share-token redeem \(id) --wait")
            #expect(redeemed.status == .ok, "\(redeemed.error ?? "")")
            #expect(value(redeemed, "attributes", "status") == .string("redeemed"))
            #expect(value(redeemed, "relationships", "source", "data", "id") == .string("inq_demo"))
            #expect(value(await lender.run(line: "share-token get \(id)"), "attributes", "status") == .string("redeemed"))
            let listed = await bank.run(line: "share-token list --direction inbound --status redeemed --page-size 1")
            #expect(value(listed, "0", "id") == .string(id))
            let events = await lender.run(line: "events list")
            #expect(value(events, "0", "attributes", "name") == .string("connect/share-token.outbound-redeemed"))
            let other = await lender.run(line: "share-token create --connection cxn_demo --source act_demo")
            guard case .string(let second) = value(other, "id") else {
                Issue.record("no id: \(other.error ?? "")")
                return
            }
            #expect(value(await lender.run(line: "share-token expire \(second)"), "attributes", "status") == .string("expired"))
        }
    }

    @Test("API refusals are one line with the field; no key is a usage error")
    func errors() async throws {
        try await withShells(bankKey: nil) { lender, keyless in
            let tooShort = await lender.run(line: "share-token create --connection cxn_demo --source inq_demo --expires-in 59")
            #expect(tooShort.status == .apiError)
            #expect(tooShort.error?.contains("/data/attributes/expires-in-seconds") == true, "\(tooShort.error ?? "")")
            #expect(await lender.run(line: "share-token get not-a-token").status == .usage)
            let noKey = await keyless.run(line: "share-token list")
            #expect(noKey.status == .usage)
            #expect(noKey.error?.contains("SHARE_API_KEY") == true)
        }
    }

    @Test("connection list, show, create, accept, deactivate and reactivate; a pending redeem without --wait")
    func connectionCommands() async throws {
        try await withShells { lender, bank in
            let listed = await lender.run(line: "connection list")
            #expect(listed.status == .ok, "\(listed.error ?? "")")
            #expect(value(listed, "0", "id") == .string("cxn_demo"))
            #expect(value(await bank.run(line: "connection show cxn_demo"), "attributes", "status") == .string("active"))
            let created = await bank.run(line: "connection create --destination org_demo-lender")
            #expect(created.status == .ok, "\(created.error ?? "")")
            #expect(value(created, "attributes", "status") == .string("pending"))
            guard case .string(let id) = value(created, "id") else {
                Issue.record("no connection id: \(created.output ?? "")")
                return
            }
            #expect(await bank.run(line: "connection accept \(id)").status != .ok)
            #expect(value(await lender.run(line: "connection accept \(id)"), "attributes", "status") == .string("active"))
            #expect(value(await bank.run(line: "connection deactivate \(id)"), "attributes", "status") == .string("inactive"))
            #expect(value(await bank.run(line: "connection reactivate \(id)"), "attributes", "status") == .string("pending"))
            #expect(await lender.run(line: "connection show not-a-connection").status == .usage)
            #expect(await lender.run(line: "connection create --destination bank").status == .usage)
            // Without --wait, redeem shows the token pending.
            let token = await lender.run(line: "share-token create --connection cxn_demo --source ver_demo")
            guard case .string(let tokenID) = value(token, "id") else {
                Issue.record("no token: \(token.output ?? "")")
                return
            }
            #expect(value(await bank.run(line: "share-token redeem \(tokenID)"), "attributes", "status") == .string("pending"))
        }
    }

    /// The printed JSON:API document, whole.
    func document(_ result: ShellInterpreter.LineResult) -> JSONValue? {
        result.output.flatMap { try? JSONValue(parsing: Array($0.utf8)) }
    }

    @Test("share-token list and connection list print one page as the API answered it, with links; the note names --after/--before")
    func onePageWithLinks() async throws {
        try await withShells { lender, _ in
            var created: [String] = []
            for _ in 0..<3 {
                guard case .string(let id) = value(await lender.run(line: "share-token create --connection cxn_demo --source inq_demo"), "id") else {
                    Issue.record("no token created")
                    return
                }
                created.append(id)
            }
            let first = await lender.run(line: "share-token list --page-size 2")
            #expect(first.status == .ok, "\(first.error ?? "")")
            guard case .object(let fields)? = document(first), case .object(let links)? = fields["links"] else {
                Issue.record("no links: \(first.output ?? "")")
                return
            }
            #expect(Set(fields.keys) == ["data", "links"])
            #expect(value(first, "0", "id") == .string(created[2]) && value(first, "1", "id") == .string(created[1]))
            #expect(links["prev"] == nil)
            guard case .string(let next)? = links["next"] else {
                Issue.record("no links.next: \(links)")
                return
            }
            #expect(next.contains("page%5Bafter%5D=\(created[1])") || next.contains("page[after]=\(created[1])"), "\(next)")
            #expect(first.note == "more: share-token list --after \(created[1])", "\(first.note ?? "")")
            let second = await lender.run(line: "share-token list --page-size 2 --after \(created[1])")
            #expect(value(second, "0", "id") == .string(created[0]))
            #expect(second.note?.contains("newer: share-token list --before \(created[0])") == true, "\(second.note ?? "")")
            let back = await lender.run(line: "share-token list --page-size 2 --before \(created[0])")
            #expect(value(back, "0", "id") == .string(created[2]))
            #expect(await lender.run(line: "share-token list --after \(created[0]) --before \(created[1])").status == .usage)
            #expect(await lender.run(line: "share-token list --after cxn_demo").status == .usage)

            let connection = await lender.run(line: "connection create --destination org_demo-bank")
            guard case .string(let newest) = value(connection, "id") else {
                Issue.record("no connection: \(connection.output ?? connection.error ?? "")")
                return
            }
            let connections = await lender.run(line: "connection list --page-size 1")
            #expect(value(connections, "0", "id") == .string(newest))
            guard case .object(let connectionFields)? = document(connections) else {
                Issue.record("no document: \(connections.output ?? "")")
                return
            }
            #expect(Set(connectionFields.keys) == ["data", "links"])
            #expect(connections.note == "more: connection list --after \(newest)", "\(connections.note ?? "")")
            let older = await lender.run(line: "connection list --page-size 1 --after \(newest)")
            #expect(value(older, "0", "id") == .string("cxn_demo"))
            #expect(older.note == "newer: connection list --before cxn_demo", "\(older.note ?? "")")
            #expect(value(await lender.run(line: "connection list --before cxn_demo"), "0", "id") == .string(newest))
        }
    }

    /// The answers of a server, as ``ConnectConnectionNaming`` passed them on.
    actor Answers {
        var texts: [String] = []
        func record(_ text: String) { texts.append(text) }
    }

    /// Passes requests on to the sandbox and names the connection relationship of its answers
    /// `connect-connection`, as Persona's 2025-12-08 examples do: a real sandbox answer in that shape.
    struct ConnectConnectionNaming: HTTPTransport {
        let upstream: AHCTransport
        let answers: Answers

        func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
            var (response, answer) = try await upstream.send(request, body: body)
            guard let answer else { return (response, nil) }
            let text = String(decoding: try await answer.collect(upTo: 1 << 20), as: UTF8.self)
                .replacingOccurrences(of: "\"connection\":", with: "\"connect-connection\":")
            await answers.record(text)
            response.headerFields[.contentLength] = nil
            return (response, HTTPBody(text))
        }
    }

    /// The cells of a table, row by row (no cell holds a space).
    func cells(_ result: ShellInterpreter.LineResult) -> [[String]] {
        (result.output ?? "").split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    @Test("share-token tables show each token's connection, also when the answer names the relationship connect-connection")
    func connectionColumn() async throws {
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 0)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = URL(string: sandbox.url)!
                let answers = Answers()
                func shell(_ client: ShareTokenClient) -> ShellInterpreter {
                    var context = ShellContext(target: .embedded(url), clientID: SandboxDemo.clientID, oauth: nil, partners: .empty)
                    context.shareTokens = client
                    return ShellInterpreter(context: context, style: OutputStyle(json: true, reveal: false, color: false))
                }
                let key = APIKey(ShareTokenDemo.sourceAPIKey)
                var lender = shell(ShareTokenClient(environment: .custom(url), apiKey: key, transport: transport))
                var renamed = shell(ShareTokenClient(environment: .custom(url), apiKey: key, transport: ConnectConnectionNaming(upstream: transport, answers: answers)))

                let created = await lender.run(line: "share-token create --connection cxn_demo --source inq_demo")
                guard case .string(let id) = value(created, "id") else {
                    Issue.record("no token: \(created.output ?? created.error ?? "")")
                    return
                }
                let table = await lender.run(line: "share-token list --table")
                #expect(table.status == .ok, "\(table.error ?? "")")
                let rows = cells(table)
                #expect(rows.first == ["id", "status", "direction", "connection", "source", "expires"], "\(table.output ?? "")")
                #expect(rows.dropFirst().first.map { Array($0.prefix(5)) } == [id, "created", "outbound", "cxn_demo", "inq_demo"], "\(table.output ?? "")")

                let renamedTable = await renamed.run(line: "share-token list --table")
                #expect(renamedTable.status == .ok, "\(renamedTable.error ?? "")")
                #expect(renamedTable.output == table.output)
                let single = await renamed.run(line: "share-token get \(id) --table")
                #expect(cells(single).contains(["relationships.connection.data.id", "cxn_demo"]), "\(single.output ?? single.error ?? "")")
                let seen = await answers.texts
                #expect(seen.count == 2)
                #expect(seen.allSatisfy { $0.contains("\"connect-connection\":{") && !$0.contains("\"connection\":") }, "\(seen)")
            }
        }
    }
}
