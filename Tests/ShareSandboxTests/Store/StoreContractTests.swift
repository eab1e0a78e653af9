import Testing

/// Every documented store behaviour (``StoreContract``) on the in-memory and the SQLite store.
@Suite("store contract: memory and SQLite")
struct StoreContractTests {
    @Test("behaviour", arguments: [StoreUnderTest.memory, .sqlite], StoreContract.all)
    func behaviour(store: StoreUnderTest, contract: StoreContract) async throws {
        try await store.withStore(contract.check)
    }
}

/// The same behaviours on the PostgreSQL store, each in a database of its own on the server
/// `SHAREKIT_TEST_POSTGRES_URL` names (scripts/test starts one).
@Suite("store contract: PostgreSQL", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresStoreContractTests {
    @Test("behaviour", arguments: StoreContract.all)
    func behaviour(contract: StoreContract) async throws {
        try await StoreUnderTest.postgres.withStore(contract.check)
    }
}
