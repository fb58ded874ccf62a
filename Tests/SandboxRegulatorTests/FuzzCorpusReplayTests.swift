import Foundation
import TestSupport
import XCTest
@testable import SandboxRegulator

/// Every input the fuzzer kept for the regulator's intake (Fuzz/corpus/feed, Fuzz/corpus/receipts:
/// scripts/fuzz, docs/security.md "Fuzzing") read again the way its harness reads it, in the
/// normal suite: whatever once crashed or hung stays fixed without the instrumented build.
final class FuzzCorpusReplayTests: XCTestCase {
    /// Each kept input of `name` as its harness splits it: the option byte (bit 0 gzip, bit 7 small
    /// lines, the others the chunk size, `chunk`) and the body behind it.
    static func replay(_ name: String, chunk: (UInt8) -> Int, _ read: (UInt8, InflatedBody) -> Void) throws {
        for (options, input) in try fuzzCorpus(name) {
            guard let body = try? InflatedBody(input, gzip: options & 1 == 1, limit: 1 << 16, chunkSize: chunk(options)) else { continue }
            read(options, body)
        }
    }

    /// As Fuzz/harness/feed.swift.
    static func feedChunk(_ options: UInt8) -> Int { 1 + Int((options >> 1) & 0x3F) }

    func testTheFeedCorpusIsReadToItsEnd() throws {
        try Self.replay("feed", chunk: Self.feedChunk) { options, body in
            let lines = BodyLines(source: body, maxLineBytes: options & 0x80 != 0 ? 48 : 4096, chunkSize: Self.feedChunk(options))
            if let (items, rejected) = try? FeedBatchParser.read(lines, platformID: "A", maxLines: 64, keep: { _ in }) {
                XCTAssertLessThanOrEqual(items.count + rejected.count, 64)
            }
        }
    }

    /// As Fuzz/harness/receipts.swift.
    static func receiptsChunk(_ options: UInt8) -> Int {
        let k = Int((options >> 1) & 7)
        return k == 7 ? 64 * 1024 : 16 + k * 8
    }

    func testTheReceiptsCorpusIsReadToItsEnd() throws {
        try Self.replay("receipts", chunk: Self.receiptsChunk) { options, body in
            if let read = try? ReceiptsReader.read(body, maxLines: 64, maxLineBytes: options & 0x80 != 0 ? 64 : 2048,
                                                   chunkSize: Self.receiptsChunk(options), keep: { _ in }) {
                XCTAssertLessThanOrEqual(read.refused.listed.count, RejectedLines.listLimit)
            }
        }
    }
}
