import Foundation
import XCTest

/// The inputs the fuzzer kept (Fuzz/corpus/NAME: scripts/fuzz, docs/security.md "Fuzzing"), for
/// the suites that read each again the way its harness reads it: the first byte is the harness's
/// options, the rest the input. Fails the test when the folder holds nothing.
public func fuzzCorpus(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [(options: UInt8, input: [UInt8])] {
    // Tests/TestSupport/FuzzCorpus.swift → the package's root.
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/\(name)")
    let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
    XCTAssertGreaterThan(files.count, 0, "no inputs in \(folder.path)", file: file, line: line)
    var inputs: [(options: UInt8, input: [UInt8])] = []
    for url in files {
        let bytes = Array(try Data(contentsOf: url))
        if let options = bytes.first { inputs.append((options, Array(bytes.dropFirst()))) }
    }
    return inputs
}
