import Foundation

/// A PostgreSQL database of one test's own on the throwaway cluster scripts/test started
/// (SANDBOX_TEST_POSTGRES names its first database). One per test rather than one emptied between
/// tests, so tests can run side by side (`swift test --parallel`) without emptying each other's
/// tables; `drop()` removes it when the test ends, and the cluster goes at the end of the run.
struct TestDatabase: Sendable {
    /// The test database's URL: the cluster's URL with the database name replaced.
    let url: String
    let name: String
    private let clusterURL: String

    /// nil when the tests run on SQLite (SANDBOX_TEST_POSTGRES unset).
    static func make() throws -> TestDatabase? {
        guard let cluster = ProcessInfo.processInfo.environment["SANDBOX_TEST_POSTGRES"], !cluster.isEmpty else {
            return nil
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        guard var parts = URLComponents(string: cluster) else {
            throw TestDatabaseError("SANDBOX_TEST_POSTGRES is not a URL: \(cluster)")
        }
        parts.path = "/" + name
        let database = TestDatabase(url: parts.string!, name: name, clusterURL: cluster)
        try database.psql("CREATE DATABASE \(name)")
        return database
    }

    /// Removes the database; FORCE ends connections a failed test left open.
    func drop() {
        try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one statement on the cluster's first database (CREATE/DROP DATABASE cannot run in the
    /// database they name); psql takes the cluster's URL as it is, `sslmode=disable` included.
    private func psql(_ statement: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", clusterURL, "-c", statement]
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw TestDatabaseError("psql \(statement): \(message)")
        }
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
