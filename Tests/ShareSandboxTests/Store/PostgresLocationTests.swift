import ShareSandboxPostgres
import Testing

/// `--data postgres://…`: the URL, the libpq environment variables for what it leaves out, and a
/// password that never shows.
@Suite("PostgreSQL URL and environment")
struct PostgresLocationTests {
    @Test("every part from the URL, percent-decoded; postgresql:// is the same; the URL wins over the environment")
    func fullURL() throws {
        let environment = ["PGHOST": "elsewhere", "PGPORT": "6000", "PGUSER": "env-user", "PGPASSWORD": "env-pass", "PGDATABASE": "env-db"]
        let location = try PostgresLocation(url: "postgres://sand%40box:p%3Ass@db.example:5544/share%20kit?sslmode=disable", environment: environment)
        #expect(location == PostgresLocation(host: "db.example", port: 5544, user: "sand@box", password: "p:ss", database: "share kit", tlsMode: .disable))
        #expect(try PostgresLocation(url: "postgresql://u@h:1/d", environment: [:]) == PostgresLocation(host: "h", port: 1, user: "u", database: "d"))
        #expect(try PostgresLocation(url: "POSTGRES://u@[::1]:7/d", environment: [:]).host == "::1")
    }

    @Test("parts the URL leaves out come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, then the defaults")
    func environmentAndDefaults() throws {
        let environment = [
            "PGHOST": "pg.internal", "PGPORT": "6432", "PGUSER": "svc", "PGPASSWORD": "pw", "PGDATABASE": "sandbox", "PGSSLMODE": "require",
        ]
        #expect(try PostgresLocation(url: "postgres://", environment: environment)
            == PostgresLocation(host: "pg.internal", port: 6432, user: "svc", password: "pw", database: "sandbox", tlsMode: .require))
        #expect(try PostgresLocation(url: "postgres://other@/db", environment: environment)
            == PostgresLocation(host: "pg.internal", port: 6432, user: "other", password: "pw", database: "db", tlsMode: .require))
        #expect(try PostgresLocation(url: "postgres://", environment: ["USER": "me"])
            == PostgresLocation(host: "localhost", port: 5432, user: "me", database: "me", tlsMode: .prefer))
        #expect(try PostgresLocation(url: "postgres://", environment: [:]).user == "postgres")
        #expect(try PostgresLocation(url: "postgres:///only-db", environment: ["PGUSER": "u"]).database == "only-db")
    }

    @Test("a host starting with / is the Unix socket directory")
    func unixSocket() throws {
        let location = try PostgresLocation(url: "postgres://u@%2Fvar%2Frun%2Fpostgresql/d", environment: [:])
        #expect(location.isUnixSocket && location.host == "/var/run/postgresql")
        #expect(try PostgresLocation(url: "postgres://", environment: ["PGHOST": "/tmp/pg"]).isUnixSocket)
    }

    @Test("the description and the debug description never carry the password")
    func passwordHidden() throws {
        let location = try PostgresLocation(url: "postgres://user:hunter2@db:5432/app?sslmode=require", environment: [:])
        #expect(location.description == "postgres://user@db:5432/app?sslmode=require")
        #expect(!String(reflecting: location).contains("hunter2"))
        #expect(!"\(location)".contains("hunter2"))
        let unreachable = PostgresStoreUnreachable(location: location, reason: "connection refused")
        #expect(!"\(unreachable)".contains("hunter2"))
    }

    @Test("malformed URLs are refused with a reason that does not repeat the URL", arguments: [
        "mysql://u:secret-pw@h/d", "postgres://u:secret-pw@h:port/d", "postgres://u:secret-pw@h:70000/d",
        "postgres://u:secret-pw@h/d?sslmode=sometimes", "postgres://u:secret-pw@h/d?application_name=x", "postgres://u:secret-pw@[::1/d",
    ])
    func malformed(url: String) {
        #expect {
            _ = try PostgresLocation(url: url, environment: [:])
        } throws: { error in
            !"\(error)".contains("secret-pw") && "\(error)".hasPrefix("invalid PostgreSQL URL: ")
        }
    }

    @Test("postgres:// and postgresql:// name a database; anything else is a SQLite path")
    func urlOrPath() {
        #expect(PostgresLocation.isURL("postgres://h/d"))
        #expect(PostgresLocation.isURL("postgresql://"))
        #expect(!PostgresLocation.isURL("state.sqlite"))
        #expect(!PostgresLocation.isURL("/tmp/postgres://x"))
    }
}
