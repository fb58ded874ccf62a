import Foundation
import XCTest

/// 1. A large export in a hundred batches reaches the regulator complete, and the regulator's
/// counts match the export exactly. The full Chengdu size (469,000 merchants, 5,000 records a
/// batch) runs in release in `scripts/bench-sync`, which fails when the regulator's count differs;
/// here the same path runs at a twelfth of the size with batches a twelfth as large, so the suite
/// checks as many batch boundaries in seconds rather than four minutes of a debug build.
final class SyncFullSizeEndToEndTests: SyncTestCase {
    func testAFullSizeExportReachesTheRegulatorComplete() throws {
        let merchants = 40_000
        let agent = try makeAgent(batchRecords: 400)
        let export = try dropMerchants(agent, merchants)
        let service = try startService(agent)
        try waitDelivered(agent, timeout: 1_200)
        stopService(service)

        // What the export holds, counted independently of both programs.
        let expected = try distinctUSCCs(in: export)
        let stats = try regulator.stats()
        XCTAssertEqual(stats.int("merchant_records"), merchants)
        XCTAssertEqual(stats.int("distinct_uscc"), expected)
        XCTAssertEqual(stats.int("batches_duplicate"), 0)
        try assertCountedOnce(agent, merchants: merchants)
    }

    /// Rows of the CSV and distinct non-empty values of its 统一社会信用代码 column (python's csv
    /// module: quoted fields with commas are read right).
    private func distinctUSCCs(in file: URL) throws -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import csv, sys
            r = csv.reader(open(sys.argv[1], encoding='utf-8-sig'))
            header = next(r)
            i = header.index('统一社会信用代码') if '统一社会信用代码' in header else header.index('uscc')
            print(len({row[i] for row in r if row[i]}))
            """, file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return try XCTUnwrap(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
