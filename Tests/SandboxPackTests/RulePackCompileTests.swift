import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack

/// The shipped Chengdu pack compiles, and every kind of mistake is refused with its file, line,
/// path and a message that says what to write instead (docs/policy.md §2.4).
final class RulePackCompileTests: XCTestCase {
    static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return "."
    }

    static func chengduText() throws -> String {
        try String(contentsOfFile: repositoryRoot + "/rulepacks/chengdu-2026.1.toml", encoding: .utf8)
    }

    func compile(_ text: String) throws -> RulePack {
        try PackTOML.compile(Array(text.utf8), fileName: "chengdu-2026.1.toml")
    }

    func errors(_ text: String) -> [PackError] {
        do { _ = try compile(text); return [] } catch let e as PackErrors { return e.errors } catch { return [] }
    }

    /// The Chengdu pack with one edit; fails the test if the edit's anchor is missing.
    func edited(_ old: String, _ new: String) throws -> String {
        let text = try Self.chengduText()
        XCTAssertTrue(text.contains(old), "anchor not in the pack: \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    func lineOf(_ needle: String, in text: String) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }! + 1
    }

    func testTheChengduPackCompiles() throws {
        let pack = try compile(try Self.chengduText())
        XCTAssertEqual(pack.packVersion, "chengdu-2026.1")
        XCTAssertEqual(pack.header.serial, 1)
        XCTAssertEqual(pack.triggers.map(\.id), (1...13).map { String(format: "RL-%02d", $0) })
        XCTAssertEqual(pack.indicators.count, 18, "IND-S5 (recalls) and IND-D7 (the platform's verification) removed: issue 13 corrections 5 and 8")
        XCTAssertEqual(pack.classes.map(\.maxPoints), [9, 29, 59, nil])
        XCTAssertEqual(pack.roster.admit.count, 8, "ADM-08 registered in Chengdu: issue 13 correction 10")
        XCTAssertEqual(pack.roster.admit.last?.when.fields, [.registeredLocally])
        XCTAssertEqual(pack.roster.localDivisions, ["5101"])
        XCTAssertEqual(pack.roster.remove.map(\.readmitAfterDays), [180, 90, 90, 90, 0])
        XCTAssertEqual(pack.prompts.map(\.id), ["PR-01", "PR-02", "PR-06", "PR-07", "PR-03", "PR-04", "PR-05"])
        XCTAssertNil(pack.ladders["urgent"], "RL-04 and RL-05 act at once (issue 13 corrections 3 and 4)")
        XCTAssertEqual(pack.triggers[3].atOnce, .takedown)
        XCTAssertEqual(pack.triggers[4].atOnce, .terminate)
        XCTAssertEqual(pack.ladders["standard"]?.steps.map(\.kind), [.warning, .suspend, .terminate])
        XCTAssertEqual(pack.ladders["notice"]?.steps.count, 1)
        XCTAssertEqual(pack.inspection.ratioBasisPoints, ["sandbox": 200, "A": 500, "B": 1500, "C": 3000, "D": 5000])
        XCTAssertEqual(pack.verification, VerificationPolicy.standard)
        let rl11 = pack.triggers[10]
        guard case .events(_, let within) = rl11.condition else { return XCTFail("RL-11 is an event trigger") }
        XCTAssertEqual(within, 30)
        XCTAssertEqual(rl11.clearsBy, .receipt)
        XCTAssertNil(pack.triggers[6].ladder)      // RL-07: ladder = "none"
        XCTAssertEqual(pack.triggers[5].response, .prompt)
    }

    func testSyntaxErrorNamesLineAndColumn() throws {
        let text = try edited("deadline_days = 10\nladder = \"standard\"", "deadline_days = 10\nladder \"standard\"")
        let e = errors(text)
        XCTAssertEqual(e.count, 1)
        XCTAssertTrue(e[0].description.hasPrefix("chengdu-2026.1.toml line \(lineOf("ladder \"standard\"", in: text)): is not valid TOML"),
                      e[0].description)
    }

    func testUnknownKeyIsRefusedWithTheKnownOnes() throws {
        let text = try edited("deadline_days = 30                 # DOMAIN: \"30 days", "deadline_day = 30                 # DOMAIN: \"30 days")
        let e = errors(text)
        let msg = e.first { $0.message.contains("unknown key `deadline_day`") }
        XCTAssertNotNil(msg, e.description)
        XCTAssertEqual(msg?.path, "trigger[7] \"RL-08\".deadline_day")
        XCTAssertTrue(msg?.message.contains("did you mean `deadline_days`?") == true)
        XCTAssertEqual(msg?.line, lineOf("deadline_day = 30 ", in: text))
    }

    func testExpressionErrorsPointIntoTheString() throws {
        let text = try edited("when = \"registry.changed_at > today - 180 days\"", "when = \"registry.chnged_at > today - 180 days\"")
        let e = errors(text)
        XCTAssertEqual(e.count, 1, e.description)
        let line = lineOf("registry.chnged_at", in: text)
        XCTAssertEqual(e[0].description,
                       "chengdu-2026.1.toml line \(line), indicator[8] \"IND-D5\".when, column 9: unknown field `registry.chnged_at`; "
                       + "fields of registry: abnormal_list, address, changed_at, last_annual_report_year, legal_representative, name, "
                       + "registration_status, serious_violation_list")
        // inside a multi-line string: the line of the expression's own line
        let multi = try edited("'REGISTRY_CHANGE_NOT_DISPLAYED', 'EXEMPTION_DECLARATION_NOT_DISPLAYED')",
                               "'REGISTRY_CHANGE_NOT_DISPLAYD', 'EXEMPTION_DECLARATION_NOT_DISPLAYED')")
        let m = errors(multi)
        XCTAssertEqual(m.count, 1, m.description)
        XCTAssertEqual(m[0].line, lineOf("REGISTRY_CHANGE_NOT_DISPLAYD", in: multi))
        XCTAssertTrue(m[0].message.contains("did you mean 'REGISTRY_CHANGE_NOT_DISPLAYED'?"), m[0].message)
    }

    func testWrongTypesRangesOrderAndReferences() throws {
        XCTAssertTrue(errors(try edited("max_points = 59", "max_points = 20")).contains {
            $0.path == "class[2] \"C\".max_points" && $0.message == "must be greater than class B's 29, got 20"
        })
        XCTAssertTrue(errors(try edited("sandbox = 2\n", "sandbox = 8\n")).contains {
            $0.message.contains("sandbox members get the lowest ratio; 8.0 is above class A's 5.0")
        })
        XCTAssertTrue(errors(try edited("ladder = \"notice\"", "ladder = \"notce\"")).contains {
            $0.message.hasPrefix("unknown ladder \"notce\"")
        })
        XCTAssertTrue(errors(try edited("serial = 1 ", "serial = \"1\" ")).contains {
            $0.path == "pack.serial" && $0.message == "must be an integer, got a string"
        })
        XCTAssertTrue(errors(try edited("when = \"risk.class == 'A'\"", "when = \"risk.class == 'E'\"")).contains {
            $0.message.hasPrefix("'E' is not a value of class")
        })
        XCTAssertTrue(errors(try edited("format = 1 ", "format = 2 ")).contains {
            $0.message.hasPrefix("this agent reads rule pack format 1")
        })
        XCTAssertTrue(errors(try edited("title = \"开业不满12个月\"\nwhen = \"merchant.opened_at > today - 12 months\"",
                                        "title = \"开业不满12个月\"\nwhen = \"risk.points > 3\"")).contains {
            $0.message.contains("not available to indicators")
        })
    }

    func testManyErrorsAreReportedInOneRound() throws {
        var text = try Self.chengduText()
        text = text.replacingOccurrences(of: "receipt_days = 5", with: "receipt_days = 500")
        text = text.replacingOccurrences(of: "points = 5\n", with: "points = -5\n")
        let e = errors(text)
        XCTAssertGreaterThanOrEqual(e.count, 6, e.description)
        XCTAssertTrue(e.allSatisfy { $0.line != nil }, e.description)
    }

    func testBytesMustBeUTF8AndSmall() {
        XCTAssertThrowsError(try PackTOML.compile([0xFF, 0xFE, 0x00], fileName: "x.toml")) { e in
            XCTAssertTrue("\(e)".contains("not valid UTF-8"))
        }
        XCTAssertThrowsError(try PackTOML.compile([UInt8](repeating: 0x20, count: (1 << 20) + 1), fileName: "x.toml")) { e in
            XCTAssertTrue("\(e)".contains("at most 1 MiB"))
        }
    }
}
