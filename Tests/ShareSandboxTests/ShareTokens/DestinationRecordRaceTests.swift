import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Two destination organizations redeeming, at the same moment, into the same new
/// `destination-id`: one gets the record, the other is refused, and no copy is overwritten.
@Suite("Share tokens: racing redemptions into one destination-id")
struct DestinationRecordRaceTests {
    static let trials = 200

    /// A second connection of the source, to the stranger, so that two organizations are
    /// destinations of the source.
    static let sourceToStranger = "conn_source_stranger"

    static func seed() -> ShareTokenSeed {
        var seed = ShareTokenHarness.seed()
        seed.connections.append(.init(id: sourceToStranger, source: ShareTokenHarness.source.id, destination: ShareTokenHarness.stranger.id))
        return seed
    }

    @Test("exactly one organization gets the record; the other is 422 and the winner's copy stays", arguments: StoreKind.allCases)
    func racingDestinations(store: StoreKind) async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: Self.seed(), storage: store.storage(in: folder))
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            for trial in 0..<Self.trials {
                let toDestination = try #require(try await client.createShareToken().dataID)
                let toStranger = try #require(try await client.createShareToken(connection: Self.sourceToStranger).dataID)
                let target = "inq_race_\(trial)"
                let body = #"{"data":{"attributes":{"destination-id":"\#(target)"}}}"#
                async let byDestination = client.redeem(toDestination, as: ShareTokenHarness.destination, body: body)
                async let byStranger = client.redeem(toStranger, as: ShareTokenHarness.stranger, body: body)
                let answers = try await [(ShareTokenHarness.destination, byDestination), (ShareTokenHarness.stranger, byStranger)]
                let winners = answers.filter { $0.1.status == 200 }
                let losers = answers.filter { $0.1.status != 200 }
                #expect(winners.count == 1, "trial \(trial): \(answers.map(\.1.status))")
                guard winners.count == 1, let winner = winners.first?.0, let loser = losers.first else { continue }
                #expect(loser.1.status == 422, "trial \(trial): \(loser.1.bodyText)")
                #expect(loser.1.errorPointers == ["/data/attributes/destination-id"], "trial \(trial)")
                #expect(try await client.api("/api/v1/inquiries/\(target)", as: winner).status == 200, "trial \(trial)")
                #expect(try await client.api("/api/v1/inquiries/\(target)", as: loser.0).status == 404, "trial \(trial)")
                // The loser's share token is still unused: the refusal changed nothing.
                let loserToken = loser.0 == ShareTokenHarness.destination ? toDestination : toStranger
                let seen = try await client.api("/api/v1/connect/share-tokens/\(loserToken)", as: loser.0)
                #expect(seen.attribute("status") == "created", "trial \(trial)")
            }
        }
    }
}
