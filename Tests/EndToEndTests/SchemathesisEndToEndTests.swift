import Foundation
import TestSupport
import XCTest

/// Property-based tests of every operation of docs/api/openapi.yaml against the real regulator
/// (schemathesis, from PyPI, installed by scripts/setup): no answer is a 5xx, every status and
/// body is one the document declares, and a method the document does not declare is 405.
///
/// The two operations whose bodies are gzip JSON Lines signed with HMAC (feeds, receipts) are left
/// out: schemathesis cannot make such bodies; the contract test drives them with the real agent.
/// Checked as the admin token (the city): every staff operation is reachable.
final class SchemathesisEndToEndTests: XCTestCase {
    func testEveryOperationAnswersAsTheDocumentSays() throws {
        // The command on PATH, else the module of python3 (a pip install whose scripts folder is
        // not on PATH).
        let command: [String]
        if (try? runToCompletion(["schemathesis", "--version"]).status) == 0 {
            command = ["schemathesis"]
        } else if (try? runToCompletion(["python3", "-m", "schemathesis.cli", "--version"]).status) == 0 {
            command = ["python3", "-m", "schemathesis.cli"]
        } else {
            XCTFail("schemathesis is not installed: run scripts/setup"); return
        }
        let regulator = try RegulatorHarness()
        try regulator.start()
        defer { regulator.stop() }
        let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/api/openapi.yaml").standardized.path
        let (status, output) = try runToCompletion(command + [
            "run", spec, "--url", regulator.url,
            "-H", "Authorization: Bearer \(RegulatorHarness.admin)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method",
            "--max-examples", "5", "--workers", "1", "--seed", "20261202",
            "--exclude-operation-id", "postFeed", "--exclude-operation-id", "postReceipts",
        ], environment: ["SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"], in: regulator.folder)  // its .schemathesis/ cache there
        XCTAssertEqual(status, 0, String(output.suffix(6000)))
        XCTAssertTrue(output.contains(" passed"), String(output.suffix(3000)))
        XCTAssertFalse(regulator.log.contains("Fatal error"), regulator.log)
    }
}
