import Foundation
import TestSupport
import XCTest

/// The code keeps .swift-format's rules (not its layout: scripts/check-format says why), so a
/// change that breaks one fails CI rather than waiting for someone to run the linter.
final class FormatRulesTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func testSourcesAndTestsKeepTheFormatRules() throws {
        let run = try runToCompletion(["scripts/check-format"], in: root)
        XCTAssertEqual(run.status, 0, "scripts/check-format found code breaking .swift-format's rules:\n\(run.output)")
    }

    /// The check itself: a rule broken is refused with the file and line; layout alone is not.
    func testABrokenRuleIsRefusedAndLayoutIsNot() throws {
        let folder = try temporaryFolder()
        try Data("enum E { case a(Int, Int) }\nfunc f(_ e: E) -> Int {\n    switch e {\n    case let .a(x, y): return x + y\n    }\n}\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/Broken.swift"))
        let broken = try runToCompletion(["scripts/check-format", folder], in: root)
        XCTAssertEqual(broken.status, 1, broken.output)
        XCTAssertTrue(broken.output.contains("Broken.swift:4:"), broken.output)
        XCTAssertTrue(broken.output.contains("UseLetInEveryBoundCaseVariable"), broken.output)

        try FileManager.default.removeItem(atPath: folder + "/Broken.swift")
        try Data("func g(_ a: Int,\n       _ b: Int) -> Int { a + b }\n".utf8).write(to: URL(fileURLWithPath: folder + "/Aligned.swift"))
        let aligned = try runToCompletion(["scripts/check-format", folder], in: root)
        XCTAssertEqual(aligned.status, 0, aligned.output)
    }
}
