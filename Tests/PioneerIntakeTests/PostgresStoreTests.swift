// The intake store on PostgreSQL: its migrations table, a newer schema refused, the schema's
// constraints, the `--db postgres://…` URL read as libpq reads it, and a server that cannot
// be reached or refuses the login named in plain words. The behaviour shared with SQLite is
// checked by the other suites, run against both stores.
import Foundation
@testable import PioneerIntake
import PioneerTesting
import Testing

@Suite("Intake store on PostgreSQL")
struct PostgresStoreTests {
    @Test func aNewDatabaseIsMigratedOnceEvenWhenTwoServersOpenItAtOnce() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        async let first = IntakeStore.open(url, databaseTimeout: .seconds(120))
        async let second = IntakeStore.open(url, databaseTimeout: .seconds(120))
        let stores = try await [first, second]
        for store in stores {
            #expect(try await store.schemaVersions() == ["intake-v1", "intake-v2-return-rows", "intake-v3-speed", "intake-v4-text"])
            #expect(store.kind == .postgres)
            await store.close()
        }
        #expect(try cluster.psql("SELECT identifier FROM pioneer_migrations", database: database) == "intake-v1\nintake-v2-return-rows\nintake-v3-speed\nintake-v4-text\n")
        let tables = try cluster.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", database: database)
        #expect(tables == "indicator_definition\npioneer_migrations\nreturn_fact\nreturn_goal\nreturn_indicator\nreturn_measure\nsubmission\ntoken\n")
    }

    /// intake-v3: the row tables keep no foreign key (its check per row was a third of the
    /// database's time a submission), and a return's bytes and summary are compressed with LZ4.
    @Test func theRowTablesHaveNoForeignKeysAndTheBytesAreCompressedWithLZ4() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        await (try await IntakeStore.open(url, databaseTimeout: .seconds(120))).close()
        let keys = try cluster.psql("""
            SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' ORDER BY 1
            """, database: database)
        #expect(keys == "")
        let compression = try cluster.psql("""
            SELECT attname || ' ' || attcompression::text FROM pg_attribute
            WHERE attrelid = 'submission'::regclass AND attname IN ('body', 'summary') ORDER BY attname
            """, database: database)
        #expect(compression == "body l\nsummary l\n")
    }

    @Test func aDatabaseFromANewerPioneerIsRefused() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        await (try await IntakeStore.open(url, databaseTimeout: .seconds(120))).close()
        try cluster.psql("INSERT INTO pioneer_migrations VALUES (5, 'intake-v5-future', '2030-01-01T00:00:00.000Z')", database: database)
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, databaseTimeout: .seconds(120)) }
        #expect(error?.kind == .newerVersion)
        #expect(error?.description == "intake store \(url): cannot open the database: it was written by a newer version of pioneer "
            + "(its schema has a step intake-v5-future this version does not know); upgrade pioneer to use it")
        try cluster.psql("INSERT INTO pioneer_migrations VALUES (6, 'intake-v6-later', '2031-01-01T00:00:00.000Z')", database: database)
        let two = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, databaseTimeout: .seconds(120)) }
        #expect(two?.message == "it was written by a newer version of pioneer "
            + "(its schema has steps intake-v5-future, intake-v6-later this version does not know); upgrade pioneer to use it")
    }

    /// Another program's `submission` table is named as such, not as PostgreSQL's "relation
    /// already exists"; and nothing of the intake schema is left beside it.
    @Test func aDatabaseHoldingAnotherProgramsTablesIsRefusedAsNotAnIntakeStore() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        try cluster.psql("CREATE TABLE submission (id SERIAL PRIMARY KEY, form TEXT)", database: database)
        try cluster.psql("CREATE TABLE invoice (id SERIAL PRIMARY KEY)", database: database)
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, databaseTimeout: .seconds(120)) }
        #expect(error?.kind == .notADatabase)
        #expect(error?.description == "intake store \(url): cannot open the database: it is a PostgreSQL database but not an intake store "
            + "(it holds another program's table submission); create a database for pioneer (createdb) and name it in the URL")
        let tables = try cluster.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", database: database)
        #expect(tables == "invoice\nsubmission\n")
    }

    /// Tables of other names may share the database.
    @Test func aDatabaseHoldingOtherTablesOfOtherNamesIsMigrated() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        try cluster.psql("CREATE TABLE invoice (id SERIAL PRIMARY KEY)", database: database)
        let store = try await IntakeStore.open(url, databaseTimeout: .seconds(120))
        #expect(try await store.schemaVersions().count == IntakeSchema.migrations.count)
        await store.close()
    }

    @Test func theSchemasConstraintsRefuseASecondVersionWithTheSameNumber() async throws {
        let cluster = try await PostgresCluster.shared()
        try await withIntakeStore(.postgres) { store, url in
            let database = String(url.split(separator: "/").last ?? "")
            _ = try await IntakeService(store: store, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
                .submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.office)
            #expect(throws: HarnessError.self) {
                try cluster.psql("""
                    INSERT INTO submission (id, site, period, version, format, digest, size, received_at, status, late, summary, body)
                    VALUES ('x', 'a', '2026-03', 1, 'json', 'sha256:00', 0, '2026-04-10T09:00:00.000Z', 'accepted', false, '{}', '')
                    """, database: database)
            }
            #expect(try cluster.psql("SELECT COUNT(*) FROM submission", database: database) == "1\n")
        }
    }

    @Test func aMissingDatabaseIsNamedWithWhatToDo() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = cluster.url(database: "no_such_database")
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, databaseTimeout: .seconds(120)) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description == "intake store \(url): cannot open the database: database \"no_such_database\" does not exist; create it first (createdb), or name another in the URL")
    }

    @Test func aServerThatIsNotThereIsUnavailableNotAHang() async throws {
        let port = try PostgresCluster.freeLoopbackPort()
        let url = "postgres://pioneer@127.0.0.1:\(port)/intake?connect_timeout=2"
        let started = ContinuousClock.now
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url) }
        #expect(error?.kind == .busy)
        #expect(error?.description.hasPrefix("intake store \(url): cannot open the database: the database server cannot be reached (") == true,
                "\(error?.description ?? "")")
        // Alone this takes milliseconds (the port refuses at once); under the whole suite the
        // two cooperative threads that run its timers are shared by a thousand tests, and it
        // has taken 35-50 s. The bound is that it ends, with the error above, not how fast.
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    /// A cluster of its own where user `office` (password `Tr0ub4dor3`) owns database
    /// `office_intake` and logs in over TCP by `method` (pioneer's own user is trusted).
    static func officeCluster(login method: String) async throws -> PostgresCluster {
        let cluster = try await PostgresCluster.startOwn()
        do {
            try """
                local all all trust
                host all \(PostgresCluster.user) 127.0.0.1/32 trust
                host all all 127.0.0.1/32 \(method)

                """.write(to: cluster.folder.appendingPathComponent("data/pg_hba.conf"), atomically: true, encoding: .utf8)
            try cluster.psql("CREATE USER office PASSWORD 'Tr0ub4dor3'")
            try cluster.psql("CREATE DATABASE office_intake OWNER office")
            try cluster.psql("SELECT pg_reload_conf()")
        } catch {
            cluster.stopAndRemove()
            throw error
        }
        return cluster
    }

    /// A login that needs a password, given none, will be refused every time: it is named
    /// with where the password goes, not reported as a server to try again.
    @Test func aUserThatNeedsAPasswordGivenNoneIsToldWhereToPutIt() async throws {
        let cluster = try await Self.officeCluster(login: "scram-sha-256")
        defer { cluster.stopAndRemove() }
        let url = "postgres://office@127.0.0.1:\(cluster.port)/office_intake"
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, environment: [:], databaseTimeout: .seconds(120)) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description == "intake store \(url): cannot open the database: the database asks for a password for user office: "
            + "set PGPASSWORD, or name a variable holding it in the URL (postgres://office:${INTAKE_DB_PASSWORD}@…)")
        // Given as the message says, it opens.
        let store = try await IntakeStore.open(url, environment: ["PGPASSWORD": "Tr0ub4dor3"], databaseTimeout: .seconds(120))
        await store.close()
    }

    /// A password changed at the server while the service runs: the pool retries its logins
    /// out of sight, so an operation only timed out, and read as a slow database. The refusal
    /// is now named beside the timeout. (The timeout itself is made here, not waited for: under
    /// the whole suite a pool's wait takes minutes to come round.)
    @Test func aLoginRefusedToThePoolAfterOpeningIsNamedBesideTheTimeout() async throws {
        let cluster = try await Self.officeCluster(login: "scram-sha-256")
        defer { cluster.stopAndRemove() }
        let url = "postgres://office@127.0.0.1:\(cluster.port)/office_intake"
        let store = try await IntakeStore.open(url, environment: ["PGPASSWORD": "Tr0ub4dor3"], databaseTimeout: .seconds(120))
        try await store.ping()
        // The password changes and the pool's connections are ended: it must log in again.
        try cluster.psql("ALTER USER office PASSWORD 'correct horse'")
        _ = try cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'office'")
        let backend = try #require(store.backend as? PostgresIntakeBackend)
        // The probe given long enough for a loaded machine (3 s in service).
        let error = await backend.translateWaiting(PostgresIntakeBackend.OperationTimedOut(limit: .seconds(10)),
                                                   operation: "answer a health check", probeLimit: .seconds(120))
        #expect(error.kind == .busy)
        #expect(error.message.hasPrefix("the database did not answer within 10 s; nothing was written; try again; "
            + "a new connection to the database fails: the server refused the login ("), "\(error.message)")
        #expect(error.message.hasSuffix("); check the user and the password (PGPASSWORD)"), "\(error.message)")
        // A timeout with the COMMIT sent is not a wait for a connection: no probe, no addition.
        let committing = await backend.translateWaiting(PostgresIntakeBackend.OperationTimedOut(limit: .seconds(10), commitSent: true),
                                                        operation: "store a submission")
        #expect(!committing.message.contains("a new connection"))
        await store.close()
    }

    /// A login method postgres-nio cannot answer (GSSAPI here) is refused every time, like a
    /// wrong password: it is named with what to change, not reported as a server to try again.
    @Test func aLoginMethodPioneerCannotUseIsNamedWithWhatToChange() async throws {
        let cluster = try await Self.officeCluster(login: "gss")
        defer { cluster.stopAndRemove() }
        let url = "postgres://office@127.0.0.1:\(cluster.port)/office_intake"
        let error = await #expect(throws: IntakeStoreError.self) {
            try await IntakeStore.open(url, environment: ["PGPASSWORD": "Tr0ub4dor3"], databaseTimeout: .seconds(120))
        }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description == "intake store \(url): cannot open the database: the database asks for a login method pioneer "
            + "cannot use (gss); give user office scram-sha-256, md5 or password in the server's pg_hba.conf, and the password in PGPASSWORD")
    }

    /// A server certificate not signed by `sslrootcert` fails every time: said so, with what to check.
    @Test func aServerCertificateNotSignedBySslrootcertIsNamedNotRetried() async throws {
        let cluster = try await PostgresCluster.startOwn()
        defer { cluster.stopAndRemove() }
        let data = cluster.folder.appendingPathComponent("data")
        let keys = cluster.folder.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        // The server's own self-signed certificate, and another that the client is told to trust.
        for name in ["server", "other"] {
            let made = try await ChildProcess.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-keyout", keys.appendingPathComponent("\(name).key").path, "-out", keys.appendingPathComponent("\(name).crt").path,
            ])
            try #require(made.status == 0, "openssl: \(made.stderr)")
        }
        for file in ["server.crt", "server.key"] {
            try FileManager.default.copyItem(at: keys.appendingPathComponent(file), to: data.appendingPathComponent(file))
        }
        if let account = getpwnam("postgres"), getuid() == 0 {
            for file in ["server.crt", "server.key"] {
                chown(data.appendingPathComponent(file).path, account.pointee.pw_uid, account.pointee.pw_gid)
            }
        }
        chmod(data.appendingPathComponent("server.key").path, 0o600)
        try cluster.psql("ALTER SYSTEM SET ssl = on")
        try cluster.psql("SELECT pg_reload_conf()")
        let database = try await cluster.createDatabase()
        let url = database + "?sslmode=verify-ca&sslrootcert=" + keys.appendingPathComponent("other.crt").path
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, environment: [:], databaseTimeout: .seconds(120)) }
        #expect(error?.kind == .cannotOpen)
        let description = error?.description ?? ""
        #expect(description == "intake store \(url): cannot open the database: the TLS handshake with the database server failed "
            + "(certificate verify failed); check that sslrootcert holds the certificate that signed the server's and, for "
            + "sslmode=verify-full, that the URL's host is a name in the server's certificate")
        // Trusting the server's own certificate, it opens.
        let trusted = database + "?sslmode=verify-ca&sslrootcert=" + keys.appendingPathComponent("server.crt").path
        let store = try await IntakeStore.open(trusted, environment: [:], databaseTimeout: .seconds(120))
        await store.close()
    }

    @Test(arguments: ["require", "verify-ca", "verify-full"])
    func sslmodeRequireAgainstAServerWithoutTLSSaysSo(_ mode: String) async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase() + "?sslmode=\(mode)"
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, environment: [:], databaseTimeout: .seconds(120)) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description == "intake store \(url): cannot open the database: the database server does not offer TLS, "
            + "but sslmode=\(mode) asks for it; turn TLS on at the server (ssl = on in postgresql.conf)")
    }

    // MARK: The URL

    @Test func theURLGivesUserHostPortDatabaseAndLibpqsTLSOptions() throws {
        let location = try PostgresLocation(
            url: "postgresql://office@db.example:6543/intake?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem&connect_timeout=4",
            environment: [:])
        #expect(location.user == "office" && location.host == "db.example" && location.port == 6543 && location.database == "intake")
        #expect(location.sslMode == .verifyFull && location.rootCertificate == "/etc/ssl/ca.pem")
        #expect(location.connectTimeout == .seconds(4))
        #expect(location.password == nil)
        let socket = try PostgresLocation(url: "postgres://office@/intake?host=/run/postgresql", environment: [:])
        #expect(socket.socketFolder == "/run/postgresql" && socket.port == 5432)
    }

    /// `[::1]` is an address, not a host name to look up.
    @Test func anIPv6AddressInBracketsIsConnectedTo() async throws {
        let location = try PostgresLocation(url: "postgres://u:p@[::1]:55432/db", environment: [:])
        #expect(location.host == "::1" && location.port == 55432)
        #expect(location.display == "postgres://u:***@[::1]:55432/db")
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        let forwarder = try IPv6Forwarder(to: cluster.port)
        defer { forwarder.close() }
        let store = try await IntakeStore.open("postgres://\(PostgresCluster.user)@[::1]:\(forwarder.port)/\(database)",
                                               environment: [:], databaseTimeout: .seconds(120))
        #expect(try await store.schemaVersions().first == "intake-v1")
        await store.close()
    }

    @Test func thePasswordComesFromPGPASSWORDOrANamedVariableAndIsNeverShown() throws {
        let fromEnvironment = try PostgresLocation(url: "postgres://office@db:5432/intake", environment: ["PGPASSWORD": "s3cret"])
        #expect(fromEnvironment.password == "s3cret")
        let named = try PostgresLocation(url: "postgres://office:${INTAKE_DB_PASSWORD}@db:5432/intake",
                                         environment: ["INTAKE_DB_PASSWORD": "other", "PGPASSWORD": "s3cret"])
        #expect(named.password == "other")
        let literal = try PostgresLocation(url: "postgres://office:written%40here@db:5432/intake", environment: [:])
        #expect(literal.password == "written@here")
        #expect(!literal.display.contains("written") && literal.display == "postgres://office:***@db:5432/intake")
    }

    /// Whatever the URL's shape, no message shows its password: one holding `/`, `#` or `?`
    /// made the URL unparseable and it was printed whole; one holding `@` was parsed with the
    /// password's tail as the host and showed it.
    @Test(arguments: [
        "postgres://pioneer:Tr0ub4dor/3@127.0.0.1:1/intake2",
        "postgres://pioneer:Tr0ub#4dor3@127.0.0.1:1/intake2",
        "postgres://pioneer:Tr0ub?4dor3@127.0.0.1:1/intake2",
        "postgres://pioneer:p@ss/w0rdTr0ub@127.0.0.1:1/intake2",
        "postgres://pioneer:Tr0ub4dor3@127.0.0.1:notaport/intake2",
        "postgres://pioneer@127.0.0.1:1/intake2?connect_timeout=1&password=Tr0ub4dor3",
    ])
    func noMessageShowsThePasswordWhateverTheURLsShape(_ url: String) async throws {
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, environment: [:]) }
        let description = error?.description ?? ""
        #expect(!description.contains("Tr0ub") && !description.contains("w0rd") && !description.contains("p@ss"), "\(description)")
        #expect(description.contains("***"), "\(description)")
        #expect(!IntakeStore.display(url).contains("Tr0ub"))
    }

    @Test func aPasswordWithAReservedCharacterIsToldToBePercentEncoded() async throws {
        let error = await #expect(throws: IntakeStoreError.self) {
            try await IntakeStore.open("postgres://pioneer:Tr0ub4dor/3@127.0.0.1:1/intake2", environment: [:])
        }
        #expect(error?.description == "intake store postgres://pioneer:***@127.0.0.1:1/intake2: cannot read the database URL: "
            + "it is not a URL of the form postgres://USER:PASSWORD@HOST:PORT/DATABASE; its password holds a character a URL "
            + "reserves (@ / # ? or %); percent-encode it (%40 for @, %2F for /, %23 for #, %3F for ?, %25 for %), or give it in PGPASSWORD")
    }

    @Test func aPercentEncodedPasswordIsDecodedOnce() throws {
        #expect(try PostgresLocation(url: "postgres://office:50%25off@db:5432/intake", environment: [:]).password == "50%off")
        #expect(try PostgresLocation(url: "postgres://office:x%2541y@db:5432/intake", environment: [:]).password == "x%41y")
        #expect(try PostgresLocation(url: "postgres://of%25fice:pw@db:5432/in%2541take", environment: [:]).user == "of%fice")
        #expect(try PostgresLocation(url: "postgres://office:pw@db:5432/in%2541take", environment: [:]).database == "in%41take")
        #expect(try PostgresLocation(url: "postgres://office@db:5432/intake?password=s3cret", environment: ["PGPASSWORD": "other"])
            .password == "s3cret")
    }

    @Test(arguments: [
        ("postgres://db:5432/intake", "it names no user; write postgres://USER@HOST:PORT/DATABASE"),
        ("postgres://office@db:5432/", "it names no database; write postgres://USER@HOST:PORT/DATABASE"),
        ("postgres://office@db:5432/intake?sslmode=sometimes",
         "sslmode=sometimes is not one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("postgres://office@db:5432/intake?pool=9",
         "the option pool is not understood; use sslmode, sslrootcert, sslcert, sslkey, connect_timeout, host, password"),
        ("postgres://office:${NOT_SET_ANYWHERE}@db:5432/intake",
         "its password is ${NOT_SET_ANYWHERE} but the environment variable NOT_SET_ANYWHERE is not set"),
        ("postgres://office@db:5432/intake?sslcert=/c.pem", "sslcert and sslkey go together; give both or neither"),
        ("postgres://office@db:5432/intake?connect_timeout=soon", "connect_timeout=soon is not a whole number of seconds above 0"),
    ])
    func aMalformedURLSaysWhatIsWrong(_ url: String, _ message: String) async throws {
        let error = await #expect(throws: IntakeStoreError.self) { try await IntakeStore.open(url, environment: [:]) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message == message)
        #expect(error?.description.hasPrefix("intake store ") == true && error?.description.contains("cannot read the database URL") == true)
    }
}
