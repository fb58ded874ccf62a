import Foundation
import Hummingbird

import Logging
import SandboxPack
import XCTest
@testable import SandboxRegulator

/// A regulator on a fresh database in a temporary folder, with platforms A and B and an admin.
struct RegulatorFixture {
    static let adminToken = "admin-token-0123"
    static let tokens = ["A": "token-a-0123", "B": "token-b-0123"]
    static let secrets = ["A": "secret-a-0123", "B": "secret-b-0123"]

    let folder: String
    let store: RegulatorStore
    let router: RegulatorRouter
    /// The test's own PostgreSQL database, when the tests run on PostgreSQL (nil on SQLite).
    let postgres: TestDatabase?

    init(maxBodyBytes: Int = 64 << 20, rulePackKeys: TrustedKeys? = nil) throws {
        try self.init(limits: RegulatorLimits(maxBodyBytes: maxBodyBytes), rulePackKeys: rulePackKeys)
    }

    init(limits: RegulatorLimits, rulePackKeys: TrustedKeys? = nil) throws {
        folder = NSTemporaryDirectory() + "regulator-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        postgres = try TestDatabase.make()
        store = try Self.makeStore(folder: folder, postgres: postgres)
        router = RegulatorRouter(store: store, directory: Self.directory, limits: limits,
                                 rulePackKeys: rulePackKeys, passwords: Self.passwords)
    }

    /// Staff passwords at the least cost: tests log in often, and a debug build's hash at the
    /// standard cost is 0.7 s (StaffAccessTests checks the standard's hashes).
    static let passwords = StaffPasswords(parameters: .init(log2N: PasswordHash.Parameters.acceptedLog2N.lowerBound, r: 8, p: 1))

    /// Platforms A and B and the admin token.
    static var directory: PlatformDirectory {
        PlatformDirectory(adminToken: adminToken, platforms: ["A", "B"].map {
            PlatformCredentials(id: $0, token: tokens[$0]!, hmacSecret: secrets[$0]!)
        })
    }

    /// Marks the database as at the version before a schema step (`sqlite` in RegulatorSchema,
    /// `postgres` in PostgresSchema), so the next open runs that step and those after it again.
    /// The step itself and those after it are undone here, newest first, when `laterSteps` knows
    /// their undo (reopening applies them again); a test undoes a step not listed there (the
    /// outcome figures) itself. A step that a rewinding test crosses adds its undo to `laterSteps`.
    func rewindSchema(_ s: StoreSession, toBefore sqlite: Int, _ postgres: Int) throws {
        let onSQLite = self.postgres == nil
        for step in Self.laterSteps.sorted(by: { $0.version(onSQLite) > $1.version(onSQLite) })
        where step.version(onSQLite) >= (onSQLite ? sqlite : postgres) {
            for statement in step.undo { try s.database.execute(statement) }
        }
        if self.postgres == nil {
            try s.database.execute("PRAGMA user_version = \(sqlite - 1)")
        } else {
            try s.database.execute("DELETE FROM regulator_schema WHERE version >= \(postgres)")
        }
    }

    /// A schema step and the statements that undo it (both engines take the same ones).
    struct UndoableStep {
        let sqlite: Int
        let postgres: Int
        let undo: [String]
        func version(_ onSQLite: Bool) -> Int { onSQLite ? sqlite : postgres }
    }
    // PostgresSchema.rosterMarks needs no undo: it is written to be applied again.

    /// The steps after the outcome figures (the earliest step a test rewinds to), with their undo.
    static let laterSteps = [
        UndoableStep(sqlite: RegulatorSchema.staffDirectivesVersion, postgres: PostgresSchema.staffDirectivesVersion, undo: [
            "DROP INDEX directives_issued_by_staff", "DROP INDEX directives_by_uscc",
            "ALTER TABLE directives DROP COLUMN issued_by", "DROP INDEX receipts_by_instruction",
            "CREATE INDEX receipts_by_instruction ON receipts (platform_id, instruction_id)",
        ]),
        UndoableStep(sqlite: RegulatorSchema.drawSizesVersion, postgres: PostgresSchema.drawSizesVersion, undo: [
            "DROP INDEX draws_by_region", "ALTER TABLE draws DROP COLUMN region", "ALTER TABLE draws DROP COLUMN drawn_count",
        ]),
        UndoableStep(sqlite: RegulatorSchema.leadQueueVersion, postgres: PostgresSchema.leadQueueVersion, undo: [
            "DROP TABLE lead_queue",
            "CREATE TABLE lead_regions (region TEXT NOT NULL, uscc TEXT NOT NULL, PRIMARY KEY (region, uscc))",
        ]),
        UndoableStep(sqlite: RegulatorSchema.drawSubjectsVersion, postgres: PostgresSchema.drawSubjectsVersion, undo: [
            "DROP TABLE draw_subjects", "ALTER TABLE draws DROP COLUMN strata", "ALTER TABLE draws DROP COLUMN population_count",
        ]),
        UndoableStep(sqlite: RegulatorSchema.closedStorefrontsVersion, postgres: PostgresSchema.closedStorefrontsVersion, undo: [
            "DROP INDEX records_closed_storefronts",
        ]),
        UndoableStep(sqlite: RegulatorSchema.tradingEnterprisesVersion, postgres: PostgresSchema.tradingEnterprisesVersion, undo: [
            "ALTER TABLE enterprises DROP COLUMN trading", "ALTER TABLE division_enterprises DROP COLUMN trading",
        ]),
        UndoableStep(sqlite: RegulatorSchema.closedCountsVersion, postgres: PostgresSchema.closedCountsVersion, undo: [
            "DROP TABLE closed_storefronts",
            """
            CREATE INDEX records_closed_storefronts ON records (uscc)
                WHERE type = 'merchant' AND json_extract(data, '$.status') IN ('closed', '关闭')
            """,
        ]),
        UndoableStep(sqlite: RegulatorSchema.drawPreparationsVersion, postgres: PostgresSchema.drawPreparationsVersion, undo: [
            "DROP TABLE draw_preparation_subjects", "DROP TABLE draw_preparations",
        ]),
        UndoableStep(sqlite: RegulatorSchema.rosterMemberCountsVersion, postgres: PostgresSchema.rosterMemberCountsVersion, undo: [
            "DROP TABLE roster_member_counts",
        ]),
        // PostgresSchema.caseUSCCs needs no undo: it is written to be applied again.
        UndoableStep(sqlite: RegulatorSchema.caseQueuesVersion, postgres: PostgresSchema.caseQueuesVersion, undo: [
            "DROP INDEX lead_queue_proposals", "DROP INDEX lead_queue_recommendations",
            "ALTER TABLE lead_queue DROP COLUMN proposal_state", "ALTER TABLE lead_queue DROP COLUMN proposal_first",
            "ALTER TABLE lead_queue DROP COLUMN recommendation", "ALTER TABLE lead_queue DROP COLUMN rectified_at",
        ]),
    ]

    func remove() {
        store.backend.close()
        postgres?.drop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Another node on the same database (another process would open it the same way): a second
    /// connection to the SQLite file, or a second pool on the test's PostgreSQL database.
    func secondNode() throws -> RegulatorStore {
        try Self.makeStore(folder: folder, postgres: postgres)
    }

    /// Another node's server on the same database (`secondNode`), with the same platforms; the
    /// caller closes its store (`router.store.backend.close()`).
    func secondRouter() throws -> RegulatorRouter {
        RegulatorRouter(store: try secondNode(), directory: Self.directory, limits: RegulatorLimits())
    }

    /// The store the tests run on: SQLite in `folder`, or — when scripts/test has started a
    /// throwaway PostgreSQL cluster and set SANDBOX_TEST_POSTGRES — a database of the test's own on
    /// it, so the same tests check both engines and can run side by side.
    static func makeStore(folder: String, postgres: TestDatabase?) throws -> RegulatorStore {
        guard let postgres else { return try RegulatorStore(path: folder + "/regulator.db") }
        return try RegulatorStore(location: postgres.url, connections: 4)
    }

    func app() -> some ApplicationProtocol {
        Application(router: router.build())
    }

    /// Headers of a signed platform request (docs/sync.md: the signature covers the path, the
    /// key, the timestamp — now unless given — and the body).
    static func signed(_ platform: String, body: [UInt8], path: String = "/v1/feeds", key: String? = nil, gzip: Bool = true,
                       secret: String? = nil, token: String? = nil,
                       timestamp: Int64 = Int64(Date().timeIntervalSince1970)) -> HTTPFields {
        var h: HTTPFields = [.authorization: "Bearer \(token ?? tokens[platform]!)"]
        let message = LinkSignature.message(method: "POST", path: path, idempotencyKey: key, timestamp: String(timestamp), body: body)
        h[Authenticator.signatureHeader] = LinkSignature.sign(message, secret: Array((secret ?? secrets[platform]!).utf8))
        h[Authenticator.timestampHeader] = String(timestamp)
        if gzip { h[.contentEncoding] = "gzip" }
        if let key { h[RegulatorRouter.idempotencyKey] = key }
        return h
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
    static var admin: HTTPFields { bearer(adminToken) }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var b = ByteBuffer(); b.writeBytes(bytes); return b
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        let data = Data(response.body.readableBytesView)
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            XCTFail("not a JSON object: \(String(decoding: data, as: UTF8.self))"); return [:]
        }
        return o
    }

    static func text(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    /// gzip through the system's gzip, so the test does not trust the code under test to compress.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c", "-n"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }

    /// A merchant feed line.
    static func merchantLine(platform: String, id: String, uscc: String?, hash: String = "1", shop: String = "店") -> String {
        let usccPart = uscc.map { #","uscc":"\#($0)""# } ?? ""
        return #"{"type":"merchant","platform_id":"\#(platform)","key":"\#(id)"\#(usccPart),"content_hash":"\#(hash)","data":{"platform_merchant_id":"\#(id)","shop_name":"\#(shop)"}}"#
    }

    static func lines(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }
}
