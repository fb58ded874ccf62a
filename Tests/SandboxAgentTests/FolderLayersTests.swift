import Foundation
import TestSupport
import XCTest

/// The agent's folders use each other one way, in the order docs/architecture.md writes down
/// ("The agent's folders, one way"): `scripts/check-layers` reads the sources and refuses a pair
/// of folders that use each other both ways, or a use that goes up the order, unless the document
/// allows it with a reason (issue 16, one-way house). Here so that a new cycle fails CI.
final class FolderLayersTests: XCTestCase {
    func testAgentFoldersUseEachOtherOneWay() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../..").standardized
        let run = try runToCompletion(["python3", "scripts/check-layers", "--module", "Sources/SandboxAgent",
                                       "--order", "docs/architecture.md"], in: root)
        XCTAssertEqual(run.status, 0, "scripts/check-layers found folders that reach up or back:\n\(run.output)")
    }

    /// The regulator's folders, in their own order in the same document (no cycle allowed).
    func testRegulatorFoldersUseEachOtherOneWay() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../..").standardized
        let run = try runToCompletion(["python3", "scripts/check-layers", "--module", "Sources/SandboxRegulator",
                                       "--order", "docs/architecture.md"], in: root)
        XCTAssertEqual(run.status, 0, "scripts/check-layers found regulator folders that reach up or back:\n\(run.output)")
    }
}
