import Foundation
import SandboxCore
import TestSupport
import XCTest
@testable import SandboxFormats

/// Every input the fuzzer kept for the inbox readers (Fuzz/corpus/csv, Fuzz/corpus/jsonl:
/// scripts/fuzz, docs/security.md "Fuzzing") read again the way its harness reads it, in the
/// normal suite: whatever once crashed stays fixed without the instrumented build.
final class FuzzCorpusReplayTests: XCTestCase {
    lazy var scratch = Scratch(for: self)

    /// As Fuzz/harness/{csv,jsonl}.swift: the option byte's bits 0–1 are the encoding (3: auto
    /// through gzip), bits 2–4 the chunk size; the rest is the file.
    func replay(_ name: String, _ syntax: FileFormat.Syntax, maxRecord: (UInt8) -> Int) throws {
        for (options, input) in try fuzzCorpus(name) {
            let encoding: TextEncoding = [.auto, .utf8, .gb18030][Int(options & 3) % 3]
            let path = scratch.write(input, name: "input")  // gzip is found by its magic bytes
            guard let reader = try? open(path, syntax, encoding, chunk: 16 + Int((options >> 2) & 7) * 8,
                                         maxRecord: maxRecord(options)) else { continue }
            while let row = try? reader.next() { _ = row }
        }
    }

    func testTheCSVCorpusIsReadToItsEnd() throws {
        try replay("csv", .csv) { 64 + Int($0 >> 5) * 96 }
    }

    func testTheJSONLinesCorpusIsReadToItsEnd() throws {
        try replay("jsonl", .jsonLines) { 64 + Int(($0 >> 5) & 3) * 128 }
    }
}
