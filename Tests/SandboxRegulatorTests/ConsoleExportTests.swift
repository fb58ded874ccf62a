import Foundation
import Hummingbird
import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The audit page (auditors and the city) and every console list as CSV with its filters applied.
final class ConsoleExportTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    func testTheAuditPageIsForAuditorsAndTheCityAndExportsItsFilteredTrail() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.fileEnterprises(client)
            try await S.addStaff(client, "auditor-1", role: "auditor")
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            _ = try await officer.get(client, "/console/enterprises/\(S.wuhou)")
            var r = try await officer.get(client, "/console/audit")
            XCTAssertEqual(r.status, .forbidden, "a district officer does not read the trail")

            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/audit?actor=jinjiang-1")
            XCTAssertEqual(r.status, .ok)
            let page = F.text(r)
            XCTAssertTrue(page.contains("GET /console/enterprises/{uscc}"))
            XCTAssertTrue(page.contains("denied"))
            XCTAssertFalse(page.contains("auditor-1</td>"), "only the asked actor's lines")
            r = try await auditor.get(client, "/console/audit?actor=jinjiang-1&subject=\(S.wuhou)&format=csv")
            XCTAssertEqual(r.headers[.contentType], "text/csv; charset=utf-8")
            XCTAssertEqual(r.headers[.contentDisposition], "attachment; filename=\"audit.csv\"")
            let lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertTrue(lines.first?.hasPrefix("\u{FEFF}更新时间,操作人,角色,办理事项") == true, "\(lines)")
            XCTAssertEqual(lines.count, 2, "the header and the one denied view: \(lines)")
            XCTAssertTrue(lines[1].contains(",jinjiang-1,district,GET /console/enterprises/{uscc},\(S.wuhou),denied,404,"), lines[1])
            r = try await auditor.get(client, "/console/audit?since=yesterday")
            XCTAssertEqual(r.status, .badRequest)
            r = try await auditor.get(client, "/console/audit?format=pdf")
            XCTAssertEqual(r.status, .badRequest, "a format that is not offered")
        }
    }

    func testTheLeadQueueAndTheSearchExportWithTheirFiltersAndJurisdiction() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await LeadsTests.seed(client)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/leads")
            XCTAssertTrue(F.text(r).contains("href=\"/console/leads?format=csv\""), "the page links its export")
            r = try await officer.get(client, "/console/leads?format=csv")
            var lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.count, 3, "\(lines)")
            XCTAssertTrue(lines[1].hasPrefix("A-case-2,A,\(S.jinjiang),"), "overdue first: \(lines)")
            XCTAssertTrue(lines[2].hasPrefix("A-case-1,"))
            XCTAssertFalse(F.text(r).contains("A-case-3"), "not another district's")
            // The same queue as an Excel workbook, read back by Python's zipfile (CRCs checked) and
            // its sheet's XML: the cells are the CSV's, as text.
            r = try await officer.get(client, "/console/leads?format=xlsx")
            XCTAssertEqual(r.headers[.contentType], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            XCTAssertEqual(r.headers[.contentDisposition], "attachment; filename=\"leads.xlsx\"")
            let cells = try Self.readBack(Array(r.body.readableBytesView))
            XCTAssertEqual(cells.count, 3, "\(cells)")
            XCTAssertEqual(cells.first?.first, "案件编号")
            XCTAssertEqual(cells[1].prefix(3), ["A-case-2", "A", S.jinjiang])
            r = try await officer.get(client, "/console/search?q=%E5%BA%97m&format=csv")
            lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(Set(lines.dropFirst().map { String($0.prefix(18)) }), [S.jinjiang], "\(lines)")
        }
    }

    /// The rows of the workbook's first sheet, through Python's own ZIP and XML readers.
    static func readBack(_ xlsx: [UInt8]) throws -> [[String]] {
        let file = NSTemporaryDirectory() + "console-\(UUID().uuidString).xlsx"
        try Data(xlsx).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = """
            import json, sys, zipfile, xml.etree.ElementTree as ET
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None, "a CRC does not match"
            names = set(z.namelist())
            for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]:
                assert part in names, part
                ET.fromstring(z.read(part))
            ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
            sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
            rows = [[c.find("m:is/m:t", ns).text or "" for c in row.findall("m:c", ns)] for row in sheet.find("m:sheetData", ns)]
            print(json.dumps(rows))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, file]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "Python could not read the workbook")
        return (try JSONSerialization.jsonObject(with: data) as? [[String]]) ?? []
    }

    func testWorkbookColumnsAndText() {
        XCTAssertEqual([0, 1, 25, 26, 27, 701, 702].map(XLSXExport.column), ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"])
        XCTAssertEqual(XLSXExport.xmlText("a<b & c>\u{1}d"), "a&lt;b &amp; c&gt;d")
    }

    /// The cells are the core's `CSVField.spreadsheetText` (tested in SandboxCoreTests): quoted and
    /// formula-safe, one line of CRLF a row after the BOM.
    func testCellsAreQuotedAndFormulasStayText() {
        XCTAssertEqual(CSVExport(headers: ["名称", "n"], rows: [["=HYPERLINK(\"http://x\")", "a,b"]]).text,
                       "\u{FEFF}名称,n\r\n\"'=HYPERLINK(\"\"http://x\"\")\",\"a,b\"\r\n")
        XCTAssertEqual(CSVExport(headers: ["a"], rows: [["1"]]).text, "\u{FEFF}a\r\n1\r\n")
    }
}
