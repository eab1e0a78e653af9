import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import Testing

/// Two sandboxes on one PostgreSQL database, as two `share-sandbox` processes behind one load
/// balancer: the control plane's clock and faults are the database's, followed by every sandbox
/// within moments (LISTEN/NOTIFY), and a client registered again anywhere is what every sandbox
/// checks on its next request.
@Suite("PostgreSQL: the control plane and client registrations shared by two sandboxes",
    .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresSharedControlTests {
    /// How long a sandbox may take to follow a change another made: notifications arrive within
    /// milliseconds; the margin is for a busy host.
    static let followDeadline: Duration = .seconds(3)

    /// Runs `body` with two sandboxes on one new database — `configuration` for the first,
    /// `otherConfiguration` (or the same) for the second — and the database's location.
    static func withTwoSandboxes(
        _ configuration: SandboxConfiguration, _ otherConfiguration: SandboxConfiguration? = nil,
        _ body: @Sendable (SandboxTestClient, SandboxTestClient, PostgresLocation) async throws -> Void
    ) async throws {
        try await PostgresCrossInstanceTests.withTwoStores { first, second in
            let one = try await SandboxServer.buildApplication(configuration: configuration, store: first)
            let other = try await SandboxServer.buildApplication(configuration: otherConfiguration ?? configuration, store: second)
            try await one.test(.router) { oneClient in
                try await other.test(.router) { otherClient in
                    try await body(SandboxTestClient(client: oneClient), SandboxTestClient(client: otherClient), first.location)
                }
            }
        }
    }

    /// The statuses the checks of an ``eventually(_:within:_:)`` saw, in order.
    actor StatusLog {
        private(set) var statuses: [Int] = []
        func append(_ status: Int) { statuses.append(status) }
    }

    /// Waits until `condition` holds, checking every 10 ms; fails after `limit`, also when a
    /// check itself has not answered by then (it is cancelled: a request whose store waits for a
    /// database that stopped answering fails the test instead of holding it forever).
    static func eventually(
        _ what: String, within limit: Duration = followDeadline, _ condition: @escaping @Sendable () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while true {
            let holds = try await withThrowingTaskGroup(of: Bool?.self) { group in
                group.addTask { try await condition() }
                group.addTask {
                    try await clock.sleep(until: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let holds else { throw ControlPlaneTestError("not within \(limit) (a check had not answered): \(what)") }
            if holds { return }
            guard clock.now < deadline else { throw ControlPlaneTestError("not within \(limit): \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test("an advance at one sandbox moves the other's rules and clock; a reset there brings it back; concurrent advances all count")
    func clockAcrossSandboxes() async throws {
        let clock = ManualClock()
        try await Self.withTwoSandboxes(ControlPlaneHarness.configuration(clock: clock)) { here, there, _ in
            let access = try #require(try await here.clientCredentials(SandboxHarness.lender).string("access_token"))
            #expect(try await there.isActive(SandboxHarness.lender, access))
            #expect(try await here.advanceClock(901) == 901)
            // The other sandbox's expiry rule follows without being asked for the clock.
            try await Self.eventually("the access token expires at the other sandbox") {
                try await !there.isActive(SandboxHarness.lender, access)
            }
            #expect(try await there.control("/sandbox/clock", method: .get).integer("offset_seconds") == 901)
            #expect(try await there.sandboxNow() == clock.now.addingTimeInterval(901))

            #expect(try await here.control("/sandbox/clock/reset").integer("offset_seconds") == 0)
            let start = Int(clock.now.timeIntervalSince1970)
            try await Self.eventually("a token the other sandbox issues expires on the configured clock again") {
                let token = try #require(try await there.clientCredentials(SandboxHarness.lender).string("access_token"))
                return try await there.introspect(SandboxHarness.lender, token).integer("exp") == start + 900
            }

            let offsets = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<20 {
                    let client = attempt.isMultiple(of: 2) ? here : there
                    group.addTask { try await client.advanceClock(10) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Each advance added to the one before it, wherever it ran: none was lost or undone.
            #expect(offsets.sorted() == Array(stride(from: 10, through: 200, by: 10)), "\(offsets)")
            #expect(try await here.control("/sandbox/clock", method: .get).integer("offset_seconds") == 200)
            #expect(try await there.control("/sandbox/clock", method: .get).integer("offset_seconds") == 200)
        }
    }

    @Test("a fault for 3 requests added at one sandbox faults exactly 3 requests over both; listed, cleared and reset anywhere")
    func faultsAcrossSandboxes() async throws {
        try await Self.withTwoSandboxes(ControlPlaneHarness.configuration()) { here, there, _ in
            let id = try await here.addFault(#"{"path": "/oauth/token", "status": 503, "times": 3}"#)
            let listed = try await there.control("/sandbox/faults", method: .get)
            #expect(listed.bodyText.contains(id) && listed.bodyText.contains(#""remaining":3"#), "\(listed.bodyText)")

            let answered = StatusLog()
            // Requests to the other sandbox, one at a time, until it has the fault too.
            try await Self.eventually("the other sandbox applies the fault") {
                let status = try await there.clientCredentials(SandboxHarness.lender).status
                await answered.append(status)
                return status == 503
            }
            var statuses = await answered.statuses
            let split = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<10 {
                    let client = attempt.isMultiple(of: 2) ? here : there
                    group.addTask { try await client.clientCredentials(SandboxHarness.lender).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            statuses += split
            #expect(statuses.filter { $0 == 503 }.count == 3, "\(statuses)")
            #expect(statuses.filter { $0 == 200 }.count == statuses.count - 3, "\(statuses)")
            #expect(try await here.control("/sandbox/faults", method: .get).bodyText == #"{"faults":[]}"#)

            // Added here, cleared there: gone here at once.
            let cleared = try await here.addFault(#"{"path": "/oauth/token", "status": 503, "times": 100}"#)
            try await Self.eventually("the other sandbox applies the second fault") {
                try await there.clientCredentials(SandboxHarness.lender).status == 503
            }
            #expect(try await there.control("/sandbox/faults/\(cleared)", method: .delete).status == 200)
            #expect(try await here.clientCredentials(SandboxHarness.lender).status == 200)
            #expect(try await here.control("/sandbox/faults", method: .get).bodyText == #"{"faults":[]}"#)

            // Added there, reset here: the other sandbox's faults and clock are gone too.
            _ = try await there.addFault(#"{"path": "/oauth/token", "status": 503, "times": 100}"#)
            try await there.advanceClock(3600)
            try await Self.eventually("this sandbox applies the fault") {
                try await here.clientCredentials(SandboxHarness.lender).status == 503
            }
            #expect(try await here.control("/sandbox/reset").status == 200)
            #expect(try await there.clientCredentials(SandboxHarness.lender).status == 200)
            #expect(try await there.control("/sandbox/faults", method: .get).bodyText == #"{"faults":[]}"#)
            #expect(try await there.control("/sandbox/clock", method: .get).integer("offset_seconds") == 0)
        }
    }

    @Test("a change no notification announced is read when the listening connection is established again")
    func missedNotification() async throws {
        try await Self.withTwoSandboxes(ControlPlaneHarness.configuration()) { here, there, location in
            // Wait until both sandboxes listen, so that their connections can be ended below.
            try await Self.eventually("both sandboxes listen") {
                try await Self.listeners(location) == 2
            }
            // Written straight into the table: no NOTIFY.
            try await PostgresTestDatabase.administer(
                location,
                """
                INSERT INTO sandbox_faults (id, path, status, drop_connection, times, remaining)
                VALUES ('flt_unannounced', '/oauth/token', 503, false, 1000, 1000)
                """)
            #expect(try await there.clientCredentials(SandboxHarness.lender).status == 200, "the snapshot cannot know it yet")
            // The listening connections end (as when the database restarts or the network drops):
            // each sandbox connects again, listens, and reads the state again.
            try await PostgresTestDatabase.administer(
                location,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")
            try await Self.eventually("the other sandbox reads the fault after reconnecting") {
                try await there.clientCredentials(SandboxHarness.lender).status == 503
            }
            try await Self.eventually("this sandbox reads it too") {
                try await here.clientCredentials(SandboxHarness.lender).status == 503
            }
            // Notifications flow again on the new connections.
            #expect(try await here.control("/sandbox/faults", method: .delete).integer("removed") == 1)
            _ = try await here.addFault(#"{"path": "/oauth/revoke", "status": 500, "times": 1000}"#)
            try await Self.eventually("the other sandbox follows a notified change again") {
                try await there.revoke(SandboxHarness.lender, "unknown-token").status == 500
            }
        }
    }

    @Test("a listening connection that stops answering without being closed is replaced after a heartbeat, and changes flow again")
    func silentListenerIsReplaced() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            try #require(!location.isUnixSocket, "the proxy forwards TCP")
            // The other sandbox reaches the database through a proxy that can silence its
            // listening connection: its sockets stay open, and nothing more passes.
            let proxy = try SilencingPostgresProxy(forwardingTo: location.host, port: location.port)
            let proxied = {
                var proxied = location
                proxied.host = "127.0.0.1"
                proxied.port = proxy.port
                return proxied
            }()
            let logger = PostgresTestDatabase.logger
            let size = PostgresTestDatabase.maximumConnections
            let configuration = ControlPlaneHarness.configuration()
            try await PostgresSandboxStore.withStore(location, maximumConnections: size, connectTimeout: PostgresTestDatabase.migrationPatience, logger: logger) { first in
                try await PostgresSandboxStore.withStore(
                    proxied, maximumConnections: size, connectTimeout: PostgresTestDatabase.migrationPatience, listenerHeartbeat: .seconds(1), logger: logger
                ) { second in
                    // The proxy stops once both sandboxes have stopped, before their stores do.
                    // Not earlier: a sandbox's background work (its webhook deliveries) runs
                    // statements until it stops, and postgres-nio never answers a statement sent
                    // on a connection at the moment it closes, so a proxy stopped under a running
                    // sandbox can hold that sandbox's shutdown forever. By then the silenced
                    // listening connection is long closed and replaced, so nothing waits on it.
                    defer {
                        let endedEarly = !proxy.isRunning
                        let status = proxy.close()
                        if endedEarly { Issue.record("the PostgreSQL proxy ended before the test did, with status \(status)") }
                    }
                    let one = try await SandboxServer.buildApplication(configuration: configuration, store: first)
                    let other = try await SandboxServer.buildApplication(configuration: configuration, store: second)
                    try await one.test(.router) { oneClient in
                        try await other.test(.router) { otherClient in
                            let here = SandboxTestClient(client: oneClient)
                            let there = SandboxTestClient(client: otherClient)
                            try await Self.eventually("both sandboxes listen") { try await Self.listeners(location) == 2 }
                            proxy.silenceListeners()
                            _ = try await here.addFault(#"{"path": "/oauth/token", "status": 503, "times": 1000}"#)
                            // Only a new listening connection can tell the other sandbox: one
                            // heartbeat to ask, one to give up, then it connects again and reads
                            // the faults.
                            try await Self.eventually("the other sandbox reads the fault through a new connection", within: .seconds(10)) {
                                try await there.clientCredentials(SandboxHarness.lender).status == 503
                            }
                            // Notifications reach it again on the new connection.
                            #expect(try await here.control("/sandbox/faults", method: .delete).integer("removed") == 1)
                            try await Self.eventually("the other sandbox follows a notified change again") {
                                try await there.clientCredentials(SandboxHarness.lender).status == 200
                            }
                        }
                    }
                }
            }
        }
    }

    /// How many connections to the database of `location` listen for control-plane changes.
    static func listeners(_ location: PostgresLocation) async throws -> Int {
        try await PostgresTestDatabase.count(
            location, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")
    }

    @Test("a client registered again with a new secret at one sandbox: the other refuses the old secret and takes the new on its next request")
    func clientRegisteredAgain() async throws {
        let clock = ManualClock()
        let renewed = ClientRegistration(id: SandboxHarness.lender.id, secret: "lender-secret-renewed")
        let renewedConfiguration = {
            var configuration = ControlPlaneHarness.configuration(clock: clock)
            configuration.clients = SandboxHarness.clients.map { $0.id == renewed.id ? renewed : $0 }
            return configuration
        }()
        try await PostgresCrossInstanceTests.withTwoStores { first, second in
            let configuration = ControlPlaneHarness.configuration(clock: clock)
            let one = try await SandboxServer.buildApplication(configuration: configuration, store: first)
            let other = try await SandboxServer.buildApplication(configuration: configuration, store: second)
            try await one.test(.router) { hereClient in
                try await other.test(.router) { thereClient in
                    let here = SandboxTestClient(client: hereClient)
                    let there = SandboxTestClient(client: thereClient)
                    // The other sandbox has verified (and remembered) the old secret.
                    #expect(try await there.clientCredentials(SandboxHarness.lender).status == 200)
                    #expect(try await here.clientCredentials(SandboxHarness.lender).status == 200)
                    // This sandbox restarts with the client's new secret, on the same database.
                    let restarted = try await SandboxServer.buildApplication(configuration: renewedConfiguration, store: first)
                    try await restarted.test(.router) { restartedClient in
                        let restartedHere = SandboxTestClient(client: restartedClient)
                        #expect(try await restartedHere.clientCredentials(renewed).status == 200)
                        #expect(try await restartedHere.clientCredentials(SandboxHarness.lender).status == 401)
                        let refused = try await there.clientCredentials(SandboxHarness.lender)
                        #expect(refused.status == 401 && refused.error == "invalid_client", "\(refused.bodyText)")
                        #expect(try await there.clientCredentials(renewed).status == 200)
                        #expect(try await there.control("/sandbox/clock", method: .get, headers: Self.basic(renewed)).status == 200)
                        #expect(try await there.control("/sandbox/clock", method: .get).status == 401)
                    }
                }
            }
        }
    }

    static func basic(_ client: ClientRegistration) -> HTTPFields {
        [.authorization: "Basic " + Data("\(client.id):\(client.secret)".utf8).base64EncodedString()]
    }
}

extension PostgresTestDatabase {
    /// The integers of the first column of `query`'s rows on the database of `location`.
    static func integers(_ location: PostgresLocation, _ query: String) async throws -> [Int] {
        try await rows(location, query).map { try $0.decode(Int.self) }
    }

    /// The rows of `query` on the database of `location`.
    static func rows(_ location: PostgresLocation, _ query: String) async throws -> [PostgresRow] {
        let client = PostgresClient(
            configuration: PostgresClient.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var rows: [PostgresRow] = []
            for try await row in try await client.query(PostgresQuery(unsafeSQL: query), logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// The single integer `query` answers on the database of `location`.
    static func count(_ location: PostgresLocation, _ query: String) async throws -> Int {
        try await integers(location, query).first ?? 0
    }
}
