import Foundation
import TestSupport
import XCTest

/// Both sides against docs/api/openapi.yaml: `Fixtures/contract_run.sh` drives the real agent and
/// the staff side (curl) against the real regulator through the recording proxy, and
/// `contract_check.py` validates every request and answer against the document — the agent's
/// feed and receipt lines line by line, every status and JSON answer of the regulator, and
/// probes of input the document forbids, which the regulator must refuse.
final class ContractEndToEndTests: XCTestCase {
    func testEveryExchangeConformsToTheOpenAPIDocument() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let (status, text) = try runToCompletion(["bash", fixtures.appendingPathComponent("contract_run.sh").path,
                                                  AgentHarness.binary.deletingLastPathComponent().path, work.path])
        XCTAssertNotEqual(status, 3, "PyYAML or jsonschema missing for python3: run scripts/setup\n\(text)")
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains("0 failures"), text)
        XCTAssertTrue(text.contains("every operation of the document was exercised"), text)
    }

    /// The fixtures the end-to-end tests lean on are tested themselves: every fault of the proxy,
    /// its capture, and the checker on documents with known faults.
    func testTheFixturesPassTheirSelfTests() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        for script in ["fault_proxy_selftest.py", "contract_check_selftest.py"] {
            let (status, text) = try runToCompletion(["python3", fixtures.appendingPathComponent(script).path], in: fixtures)
            XCTAssertEqual(status, 0, "\(script):\n\(text)")
        }
    }
}
