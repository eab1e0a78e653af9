import Foundation
import Logging
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Workflows run once per triggering event even when the process that raised the event stopped
/// before running them: the event keeps its pending mark, and a new authority (another
/// process, or the same one restarted) claims it once the lease has lapsed and runs what is
/// missing, never a second time.
@Suite("Share tokens: workflows left pending are recovered, once")
struct WorkflowRecoveryTests {
    static let source = OrganizationID(validated: ShareTokenHarness.source.id)
    static let inquiry = SourceID(validated: ShareTokenHarness.inquiry)

    /// An authority of the harness's organizations whose source shares every completed inquiry.
    static func authority(
        _ store: any ShareTokenStore, wallClock: SandboxClock = .system, lease: Duration = ShareTokenAuthority.defaultWorkflowClaimLease
    ) throws -> ShareTokenAuthority {
        ShareTokenAuthority(
            store: store, directory: try ShareTokenDirectory(seed: ShareTokenHarness.seed(workflows: [WorkflowTests.shareOnCompletion])),
            clock: .system, logger: Logger(label: "workflow-recovery-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            workflowClaimLease: lease, wallClock: wallClock)
    }

    /// `inquiry.completed` of the harness's inquiry, as a process stores it just before it
    /// stops: with its workflows pending, claimed until `claimedUntil` (unclaimed when `nil`).
    static func completion(_ number: Int, claimedUntil: Date? = nil) -> StoredEvent {
        let id = "evt_completion_\(number)"
        let resource = """
            {"type":"event","id":"\(id)","attributes":{"name":"inquiry.completed","created-at":"2026-01-01T00:00:00.000Z",\
            "payload":{"data":{"type":"inquiry","id":"\(ShareTokenHarness.inquiry)","attributes":{"status":"completed"}}}}}
            """
        return StoredEvent(
            id: EventID(validated: id), organization: source, name: .inquiryCompleted, createdAt: Date(), resource: Array(resource.utf8),
            delivery: .init(state: .notRequested), pendingWorkflows: .init(depth: 0, claimedUntil: claimedUntil))
    }

    /// Stores `events` as the process that raised them would have, with the inquiry they complete.
    static func storeCrashed(_ events: [StoredEvent], in store: any ShareTokenStore) async throws {
        let record = try #require(try await store.record(id: inquiry))
        try await store.saveRecord(record, events: events)
    }

    static func runs(in store: any ShareTokenStore) async throws -> [StoredWorkflowRun] {
        try await store.workflowRuns(of: source, after: nil, limit: 1000)
    }

    static func shareTokens(in store: any ShareTokenStore) async throws -> [StoredShareToken] {
        try await store.shareTokens(visibleTo: source, matching: ShareTokenQuery(limit: 1000), at: Date())
    }

    /// Stores three events left pending (and a fourth whose run was stored before the process
    /// stopped, but not the clearing of its mark) through `writer`; a new authority on
    /// `recoverer` (another store on the same file or database) runs each missing workflow once,
    /// and a further start finds nothing left to run.
    static func checkRecovery(writer: any SandboxStore, recoverer: any SandboxStore) async throws {
        try await authority(writer).seed()
        try await storeCrashed((1...4).map { completion($0) }, in: writer)
        let ran = StoredWorkflowRun(
            id: WorkflowRunID(validated: "wfr_before_the_stop"), organization: source, workflowID: WorkflowTests.shareOnCompletion.id,
            triggerEventID: EventID(validated: "evt_completion_4"), triggerName: .inquiryCompleted, outcome: .succeeded, createdAt: Date())
        #expect(try await writer.recordWorkflowRun(ran, action: nil) == .recorded)

        try await authority(recoverer).seed()
        let runs = try await runs(in: recoverer)
        #expect(runs.count == 4)
        #expect(Set(runs.map(\.triggerEventID.rawValue)) == Set((1...4).map { "evt_completion_\($0)" }))
        #expect(runs.filter { $0.outcome == .succeeded }.count == 4)
        let tokens = try await shareTokens(in: recoverer)
        #expect(tokens.count == 3)
        #expect(Set(tokens.map(\.id)) == Set(runs.compactMap(\.shareTokenID)))
        #expect(tokens.allSatisfy { $0.creator?.type == "workflow-run" && $0.sourceID == inquiry })
        for number in 1...4 {
            #expect(try await recoverer.event(id: EventID(validated: "evt_completion_\(number)"))?.pendingWorkflows == nil)
        }
        #expect(try await recoverer.eventsWithPendingWorkflows(claimableAt: .distantFuture, limit: 10).isEmpty)

        try await authority(writer).seed()
        #expect(try await Self.runs(in: writer).count == 4)
        #expect(try await shareTokens(in: writer).count == 3)
    }

    @Test("a new authority on the same SQLite file runs the workflows a stopped one left pending, each once")
    func recoveryOnSQLite() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("recovery.sqlite").path
        try await Self.checkRecovery(writer: try SQLiteSandboxStore(path: path), recoverer: try SQLiteSandboxStore(path: path))
    }

    @Test(
        "a new authority on the same PostgreSQL database runs the workflows a stopped one left pending, each once",
        .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
    func recoveryOnPostgres() async throws {
        try await PostgresCrossInstanceTests.withTwoStores { first, second in
            try await Self.checkRecovery(writer: first, recoverer: second)
        }
    }

    /// With a lease of zero every claim lapses at once, so both authorities run the same events
    /// together: the unique (workflow, event) pair alone keeps each to one run and one share token.
    @Test(
        "two authorities on one PostgreSQL database recovering the same 20 events at once run each (workflow, event) once",
        .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason), arguments: [Duration.seconds(10), .zero])
    func concurrentRecoveryOnPostgres(lease: Duration) async throws {
        try await PostgresCrossInstanceTests.withTwoStores { first, second in
            let (one, other) = (try Self.authority(first, lease: lease), try Self.authority(second, lease: lease))
            try await one.seed()
            try await Self.storeCrashed((1...20).map { Self.completion($0) }, in: first)
            await withDiscardingTaskGroup { group in
                for _ in 0..<3 {
                    group.addTask { await one.recoverPendingWorkflows() }
                    group.addTask { await other.recoverPendingWorkflows() }
                }
            }
            let runs = try await Self.runs(in: second)
            #expect(runs.count == 20)
            #expect(Set(runs.map(\.triggerEventID)).count == 20)
            #expect(try await Self.shareTokens(in: first).count == 20)
            #expect(try await first.eventsWithPendingWorkflows(claimableAt: .distantFuture, limit: 100).isEmpty)
        }
    }

    @Test("a claim left by a stopped process keeps its workflows until the lease lapses in wall time, then they run once")
    func claimLapsesInWallTime() async throws {
        let store = InMemorySandboxStore()
        let now = Date()
        try await Self.authority(store).seed()
        try await Self.storeCrashed([Self.completion(1, claimedUntil: now.addingTimeInterval(60))], in: store)
        try await Self.authority(store).recoverPendingWorkflows()
        #expect(try await Self.runs(in: store).isEmpty)
        #expect(store.event(id: EventID(validated: "evt_completion_1"))?.pendingWorkflows != nil)

        let later = try Self.authority(store, wallClock: SandboxClock { Date().addingTimeInterval(61) })
        await later.recoverPendingWorkflows()
        await later.recoverPendingWorkflows()
        #expect(try await Self.runs(in: store).count == 1)
        #expect(try await Self.shareTokens(in: store).count == 1)
        #expect(store.event(id: EventID(validated: "evt_completion_1"))?.pendingWorkflows == nil)
    }

    @Test("an event raised in process is stored claimed with its mark, which is cleared once its workflows ran")
    func markClearedInProcess() async throws {
        let store = InMemorySandboxStore()
        let authority = try Self.authority(store)
        try await authority.seed()
        _ = try await authority.completeInquiry(Self.inquiry, by: Self.source)
        let events = store.events(of: Self.source, after: nil, limit: 10)
        let completion = try #require(events.first { $0.name == .inquiryCompleted })
        #expect(completion.pendingWorkflows == nil)
        // The share token's own events trigger nothing here: they carry no mark.
        #expect(events.filter { $0.name != .inquiryCompleted }.allSatisfy { $0.pendingWorkflows == nil })
        #expect(try await Self.runs(in: store).map(\.triggerEventID) == [completion.id])
        // A recovery afterwards finds nothing to do.
        try await Self.authority(store, wallClock: SandboxClock { .distantFuture }).recoverPendingWorkflows()
        #expect(try await Self.runs(in: store).count == 1)
        #expect(try await Self.shareTokens(in: store).count == 1)
    }

    @Test("a running sandbox recovers, on its delivery loop, an event left pending in its SQLite file, and lists the run over HTTP")
    func runningSandboxRecovers() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("running.sqlite").path
        var configuration = ShareTokenHarness.configuration(
            clock: ManualClock(), seed: ShareTokenHarness.seed(workflows: [WorkflowTests.shareOnCompletion]), storage: .sqlite(path: path))
        configuration.port = 0
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            // Another process on the same file stored the event and stopped.
            try await Self.storeCrashed([Self.completion(1)], in: try SQLiteSandboxStore(path: path))
            var request = URLRequest(url: try #require(URL(string: sandbox.url + "/api/v1/workflow-runs")))
            request.setValue("Bearer \(ShareTokenHarness.source.apiKey)", forHTTPHeaderField: "Authorization")
            var listed: [String: AttributeValue] = [:]
            for _ in 0..<250 {
                let (data, _) = try await URLSession.shared.data(for: request)
                listed = try JSONDecoder().decode([String: AttributeValue].self, from: data)
                if case .array(let runs) = listed["data"], !runs.isEmpty { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            guard case .array(let runs) = listed["data"], runs.count == 1, case .object(let run) = runs[0],
                case .object(let attributes) = run["attributes"]
            else {
                Issue.record("expected one workflow run, got \(listed)")
                return
            }
            #expect(attributes["workflow-id"] == .string(WorkflowTests.shareOnCompletion.id))
            #expect(attributes["status"] == .string("succeeded"))
        }
        #expect(try await Self.runs(in: try SQLiteSandboxStore(path: path)).count == 1)
    }
}
