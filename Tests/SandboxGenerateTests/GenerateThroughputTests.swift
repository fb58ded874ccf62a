import XCTest
import Foundation
import SandboxCore
import SandboxGenerate

/// Benchmark-sized run (469,000 merchants). Opt-in: `GENERATOR_BENCHMARK=1 swift test -c release
/// -Xswiftc -enable-testing --filter GenerateThroughputTests`; debug builds are ~10× slower.
final class GenerateThroughputTests: XCTestCase {
    func testBenchmarkSizedExport() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["GENERATOR_BENCHMARK"] != nil,
                          "set GENERATOR_BENCHMARK=1 to run")
        let dir = NSTemporaryDirectory() + "gen-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let g = ExportGenerator(seed: 2026, merchantCount: 469_000, platformID: "bench",
                                today: CivilDate(year: 2026, month: 7, day: 1)!)
        let start = Date()
        let f = try g.write(to: dir, encoding: .utf8, headers: .chinese)
        let seconds = Date().timeIntervalSince(start)
        print("generator: \(f.merchantRows) merchants, \(f.merchantBytes) B merchants, \(f.licenceRows) licences, "
              + "\(f.registryRows) registry rows, \(f.merchantsWithProblems) with problems, in \(seconds) s")
        XCTAssertEqual(f.merchantRows, 469_000)
    }
}
