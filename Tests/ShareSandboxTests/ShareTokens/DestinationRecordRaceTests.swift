import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Two destination organizations redeeming, at the same moment, into the same new
/// `destination-id`: one gets the record; the other is refused at once (422) or, when both
/// redemptions were accepted, its import fails; no copy is overwritten.
@Suite("Share tokens: racing redemptions into one destination-id")
struct DestinationRecordRaceTests {
    static let trials = 60

    /// The source's second connection, to the stranger, so that two organizations are
    /// destinations of the source.
    static let sourceToStranger = ShareTokenHarness.legacyConnection

    @Test("exactly one organization gets the record; the other is refused or fails, and the winner's copy stays", arguments: StoreKind.allCases)
    func racingDestinations(store: StoreKind) async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = ShareTokenHarness.configuration(
            clock: ManualClock(), storage: store.storage(in: folder), redemptionDelay: .milliseconds(1))
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            for trial in 0..<Self.trials {
                let toDestination = try #require(try await client.createShareToken().dataID)
                let toStranger = try #require(try await client.createShareToken(connection: Self.sourceToStranger).dataID)
                let target = "inq_race_\(trial)"
                let body = #"{"data":{"attributes":{"destination-id":"\#(target)"}}}"#
                async let byDestination = client.redeemAndSettle(toDestination, as: ShareTokenHarness.destination, body: body)
                async let byStranger = client.redeemAndSettle(toStranger, as: ShareTokenHarness.stranger, body: body)
                let answers = try await [
                    (ShareTokenHarness.destination, toDestination, byDestination), (ShareTokenHarness.stranger, toStranger, byStranger),
                ]
                let winners = answers.filter { $0.2.attribute("status") == "redeemed" }
                let losers = answers.filter { $0.2.attribute("status") != "redeemed" }
                #expect(winners.count == 1, "trial \(trial): \(answers.map(\.2.bodyText))")
                guard winners.count == 1, let winner = winners.first?.0, let loser = losers.first else { continue }
                if loser.2.status == 422 {
                    #expect(loser.2.errorPointers == ["/data/attributes/destination-id"], "trial \(trial)")
                    // The refusal changed nothing: the loser's share token is still unused.
                    let seen = try await client.api("/api/v1/connect/share-tokens/\(loser.1)", as: loser.0)
                    #expect(seen.attribute("status") == "created", "trial \(trial)")
                } else {
                    #expect(loser.2.attribute("status") == "failed", "trial \(trial): \(loser.2.bodyText)")
                    #expect(loser.2.attribute("failure-reason") != nil, "trial \(trial)")
                }
                #expect(try await client.api("/api/v1/inquiries/\(target)", as: winner).status == 200, "trial \(trial)")
                #expect(try await client.api("/api/v1/inquiries/\(target)", as: loser.0).status == 404, "trial \(trial)")
            }
        }
    }
}
