import Foundation
import XCTest
@testable import SandboxRegulator

/// Every input the fuzzer kept for the regulator's intake (Fuzz/corpus/feed, Fuzz/corpus/receipts:
/// scripts/fuzz, docs/security.md "Fuzzing") read again the way its harness reads it, in the
/// normal suite: whatever once crashed or hung stays fixed without the instrumented build.
final class FuzzCorpusReplayTests: XCTestCase {
    /// Each kept input of `name` as its harness splits it: the option byte (bit 0 gzip, bit 7 small
    /// lines, bits 1–6 the chunk size) and the body behind it.
    static func replay(_ name: String, _ read: (UInt8, InflatedBody) -> Void) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/\(name)")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        XCTAssertGreaterThan(files.count, 0)
        for file in files {
            let input = Array(try Data(contentsOf: file))
            guard let options = input.first,
                  let body = try? InflatedBody(Array(input.dropFirst()), gzip: options & 1 == 1, limit: 1 << 16) else { continue }
            read(options, body)
        }
    }

    /// As Fuzz/harness/feed.swift.
    func testTheFeedCorpusIsReadToItsEnd() throws {
        try Self.replay("feed") { options, body in
            let lines = BodyLines(source: body, maxLineBytes: options & 0x80 != 0 ? 48 : 4096, chunkSize: 1 + Int((options >> 1) & 0x3F))
            if let (items, rejected) = try? FeedBatchParser.read(lines, platformID: "A", maxLines: 64, keep: { _ in }) {
                XCTAssertLessThanOrEqual(items.count + rejected.count, 64)
            }
        }
    }

    /// As Fuzz/harness/receipts.swift.
    func testTheReceiptsCorpusIsReadToItsEnd() throws {
        try Self.replay("receipts") { options, body in
            if let read = try? ReceiptsReader.read(body, maxLines: 64, maxLineBytes: options & 0x80 != 0 ? 64 : 2048, keep: { _ in }) {
                XCTAssertLessThanOrEqual(read.refused.listed.count, RejectedLines.listLimit)
            }
        }
    }
}
