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

    /// The package's modules import down the order of docs/architecture.md ("Modules"): records →
    /// verification → policy → the agent / the regulator, never beside or up.
    func testModulesImportDownTheOrder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../..").standardized
        let run = try runToCompletion(["python3", "scripts/check-layers", "--modules", "docs/architecture.md"], in: root)
        XCTAssertEqual(run.status, 0, "scripts/check-layers found a module importing against the order:\n\(run.output)")
    }

    /// The check itself: the core importing the policy (a layer above it) and the agent importing
    /// the regulator (beside it) are both refused, with the file named.
    func testAModuleImportingAgainstTheOrderIsRefused() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/check-layers").standardized.path
        let folder = try temporaryFolder()
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: folder + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("order.md", """
            <!-- modules -->
            - SandboxAgent, SandboxRegulator — the programs
            - SandboxPolicy — the policy
            - SandboxCore — records
            <!-- /modules -->
            """)
        try write("Sources/SandboxCore/Record.swift", "import Foundation\nstruct Record {}\n")
        try write("Sources/SandboxPolicy/Pass.swift", "import SandboxCore\n// import SandboxAgent, in a comment only\n")
        try write("Sources/SandboxAgent/Runner.swift", "import SandboxPolicy\nimport SandboxCore\n")
        try write("Sources/SandboxRegulator/Server.swift", "@preconcurrency import SandboxPolicy\n")
        let clean = try runToCompletion(["python3", script, "--modules", "order.md"], in: URL(fileURLWithPath: folder))
        XCTAssertEqual(clean.status, 0, clean.output)

        try write("Sources/SandboxCore/Record.swift", "import Foundation\nimport SandboxPolicy\nstruct Record {}\n")
        try write("Sources/SandboxAgent/Runner.swift", "import SandboxPolicy\n@testable import SandboxRegulator\n")
        let refused = try runToCompletion(["python3", script, "--modules", "order.md"], in: URL(fileURLWithPath: folder))
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertTrue(refused.output.contains("Sources/SandboxCore/Record.swift imports SandboxPolicy, above it"), refused.output)
        XCTAssertTrue(refused.output.contains("Sources/SandboxAgent/Runner.swift imports SandboxRegulator, beside it"), refused.output)
    }
}
