import Foundation
import Hummingbird

import SandboxCore
import SandboxPack
import XCTest
@testable import SandboxRegulator
import SandboxWire

/// The console's 双随机 draw page: the city previews a draw (nothing stored), draws it — the same
/// draw the command makes from the same seed, day and inspectors —, records every result through
/// the forms and publishes it to the public page; a district draws over its own division with
/// its own staff and sees no other draw; the auditor reads; an association has no page.
final class DrawPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias D = DrawRunTests
    typealias S = StaffAccessTests

    /// A regulator with DrawRunTests' population and the Chengdu pack published (serial 3).
    static func published() async throws -> F {
        let signer = PackSigner()
        let f = try F(rulePackKeys: TrustedKeys([signer.publicKey]))
        try await f.app().test(.router) { client in try await D.seed(client) }
        let pack = RulePackEndpointTests.pack(serial: 3)
        _ = try await f.router.publisher.publish(content: pack, signature: try signer.sign(pack), by: "test")
        return f
    }

    func testTheCityDrawsFromThePageAsTheCommandDoesRecordsEveryResultAndPublishes() async throws {
        let f = try await Self.published(); defer { f.remove() }
        try await f.app().test(.router) { client in
            for (name, role, district) in [("city-1", "city", nil), ("jinjiang-1", "district", "510104"), ("auditor-1", "auditor", nil)] {
                try await S.addStaff(client, name, role: role, district: district)
            }
            try await S.addStaff(client, "assoc-1", role: "association", association: "food")
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            var r = try await city.get(client, "/console/draws")
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains("id=\"form-new-draw\""), "the city may draw")
            XCTAssertTrue(F.text(r).contains("<td>sandbox</td><td>2%</td>"), "the pack's ratios shown: \(F.text(r))")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))

            // The preview: the strata and the seed; nothing is stored.
            let file = [(field: "inspectors_file", filename: "inspectors.toml", content: Array(D.inspectors.utf8))]
            r = try await city.previewDraw(client, [("csrf", token), ("seed", "2026-07-01"), ("as_of", "2026-07-01")],
                                      files: file)
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains(#"<dd id="seed"><strong>2026-07-01</strong></dd>"#), F.text(r))
            XCTAssertTrue(F.text(r).contains(#"<dd id="population">13</dd>"#), F.text(r))
            XCTAssertTrue(F.text(r).contains("<td>D</td><td>4</td><td>50%</td><td><strong>2</strong></td>"), F.text(r))
            var stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            XCTAssertTrue(stored.isEmpty, "a preview stores no draw")
            // Without a seed, one is made and shown before the draw.
            r = try await city.previewDraw(client, [("csrf", token), ("as_of", "2026-07-01")], files: file)
            XCTAssertTrue(F.text(r).contains(#"<dd id="seed"><strong>20"#), "a generated seed is shown")
            r = try await city.previewDraw(client, [("csrf", token), ("seed", "x")], files: [])
            XCTAssertEqual(r.status, .badRequest, "no inspectors")

            // 抽取 from the preview's form: the command's draw.
            r = try await city.previewDraw(client, [("csrf", token), ("seed", "2026-07-01"), ("as_of", "2026-07-01")],
                                      files: file)
            r = try await city.post(client, "/console/draws", ConsoleBrowser.hiddenFields(r, form: "form-draw"))
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            let id = try XCTUnwrap(stored.first?.id)
            XCTAssertEqual(r.headers[.location], "/console/draws/\(id)")
            XCTAssertEqual(stored.first?.createdBy, "city-1")
            let path = f.folder + "/inspectors.toml"
            try D.inspectors.write(toFile: path, atomically: true, encoding: .utf8)
            let cli = try await DrawRun.run(.init(packPath: nil, seed: "2026-07-01", inspectorsPath: path, asOf: "2026-07-01", createdBy: "cli"),
                                            store: f.store)
            let made = try await f.store.read { try $0.draw(id: id) }
            let page = try XCTUnwrap(made?.result)
            let command = try XCTUnwrap(JSONValue.parse(Array(cli.json().utf8)))
            for key in ["drawn", "strata", "population_digest", "seed", "as_of", "pack_serial"] {
                XCTAssertEqual(page[key], command[key], "the page's draw is the command's: \(key)")
            }
            let drawn = cli.result.drawn
            XCTAssertFalse(drawn.isEmpty)

            // The draw's page: every drawn enterprise with its inspectors and a result form.
            r = try await city.get(client, "/console/draws/\(id)")
            var text = F.text(r)
            for d in drawn {
                XCTAssertTrue(text.contains(d.uscc) && text.contains("id=\"form-record-\(d.uscc)\""), d.uscc)
            }
            XCTAssertTrue(text.contains("锦江一 (J1)") || text.contains("锦江二 (J2)"), "the inspectors by name")
            XCTAssertFalse(text.contains("id=\"form-publish\""), "no publication before every result is in")
            r = try await city.get(client, "/console/draws/\(id)?offset=1")
            XCTAssertFalse(F.text(r).contains("id=\"form-record-\(drawn[0].uscc)\""), "the page from the second drawn on")
            XCTAssertTrue(F.text(r).contains("id=\"form-record-\(drawn[1].uscc)\""))
            r = try await city.get(client, "/console/draws/\(id)?format=csv")
            XCTAssertEqual(F.text(r).split(separator: "\r\n").count, 1 + drawn.count, F.text(r))
            r = try await city.get(client, "/console/draws/\(id)?format=xlsx")
            let cells = try ConsoleExportTests.readBack(Array(r.body.readableBytesView))
            XCTAssertEqual(cells.dropFirst().map { $0.first ?? "" }, drawn.map(\.uscc), "the workbook lists the drawn in order")
            r = try await city.get(client, "/console/draws")
            XCTAssertTrue(F.text(r).contains("<a href=\"/console/draws/\(id)\">\(id)</a>") && F.text(r).contains("已抽取"), F.text(r))

            // The district sees no city draw; the auditor reads it and records nothing; no page for an association.
            var district = ConsoleBrowser()
            try await district.logIn(client, "jinjiang-1")
            r = try await district.get(client, "/console/draws")
            XCTAssertFalse(F.text(r).contains("/console/draws/\(id)\""), "a city draw is not the district's")
            r = try await district.get(client, "/console/draws/\(id)")
            XCTAssertEqual(r.status, .notFound)
            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/draws/\(id)")
            XCTAssertEqual(r.status, .ok)
            XCTAssertFalse(F.text(r).contains("form-record-"), "no form for the auditor")
            r = try await auditor.post(client, "/console/draws/\(id)/results",
                                       [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("uscc", drawn[0].uscc), ("result", "pass")])
            XCTAssertEqual(r.status, .forbidden)
            var association = ConsoleBrowser()
            try await association.logIn(client, "assoc-1")
            r = try await association.get(client, "/console/draws")
            XCTAssertEqual(r.status, .forbidden)

            // Results through the forms (the API's checks), then 公示.
            let first = drawn[0].uscc
            r = try await city.post(client, "/console/draws/\(id)/results", [("csrf", token), ("uscc", first), ("result", "problems")])
            XCTAssertEqual(r.status, .conflict, "a problem needs its follow-up")
            r = try await city.post(client, "/console/draws/\(id)/results",
                                    [("csrf", token), ("uscc", first), ("result", "problems"), ("follow_up", "责令限期整改")])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await city.post(client, "/console/draws/\(id)/publish", [("csrf", token)])
            XCTAssertEqual(r.status, .conflict, "not before every result is in")
            for d in drawn.dropFirst() {
                r = try await city.post(client, "/console/draws/\(id)/results", [("csrf", token), ("uscc", d.uscc), ("result", "pass")])
                XCTAssertEqual(r.status, .seeOther, F.text(r))
            }
            r = try await city.get(client, "/console/draws")
            XCTAssertTrue(F.text(r).contains("结果已录入"), F.text(r))
            r = try await city.get(client, "/console/draws/\(id)")
            XCTAssertTrue(F.text(r).contains("id=\"form-publish\""))
            r = try await city.post(client, "/console/draws/\(id)/publish", [("csrf", token)])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await city.get(client, "/console/draws/\(id)")
            text = F.text(r)
            XCTAssertTrue(text.contains("<a href=\"/v1/public/draws/\(id)\">公示页面</a>"), text)
            r = try await client.execute(uri: "/v1/public/draws/\(id)", method: .get)
            XCTAssertEqual(r.status, .ok)
            let published = try F.json(r)
            XCTAssertEqual((published["results"] as? [[String: Any]])?.count, drawn.count)
            XCTAssertEqual((published["results"] as? [[String: Any]])?.first { $0["uscc"] as? String == first }?["result"] as? String, "problems")

            let trail = try await f.store.read { try $0.staffAudit(actor: nil, subject: String(id), since: nil, before: nil, limit: 100) }
            XCTAssertTrue(trail.contains { $0.actor == "jinjiang-1" && $0.outcome == "denied" }, "another bureau's draw: denied")
            XCTAssertTrue(trail.contains { $0.action == "POST /console/draws/{id}/publish" && $0.outcome == "ok" })
        }
    }

    func testADistrictDrawsOverItsOwnDivisionWithItsOwnStaff() async throws {
        let f = try await Self.published(); defer { f.remove() }
        try await f.app().test(.router) { client in
            for (name, district) in [("jinjiang-1", "510104"), ("jinjiang-2", "510104"), ("wuhou-1", "510107")] {
                try await S.addStaff(client, name, role: "district", district: district)
            }
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/draws")
            var text = F.text(r)
            XCTAssertTrue(text.contains(#"<strong id="draw-region">510104</strong>"#), "a district draws over its own division")
            XCTAssertTrue(text.contains("id=\"inspector-jinjiang-2\"") && !text.contains("inspector-wuhou-1"), "its own staff only")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))
            r = try await officer.previewDraw(client,
                                         [("csrf", token), ("seed", "s-1"), ("as_of", "2026-07-01"), ("inspector", "jinjiang-1"), ("inspector", "wuhou-1")],
                                         files: [])
            XCTAssertEqual(r.status, .badRequest, "another bureau's officer cannot be slipped in")
            r = try await officer.previewDraw(client,
                                         [("csrf", token), ("seed", "s-1"), ("as_of", "2026-07-01"), ("region", "510107"),
                                          ("inspector", "jinjiang-1"), ("inspector", "jinjiang-2")], files: [])
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains(#"<dd id="population">12</dd>"#), "510104's twelve, whatever region is sent: \(F.text(r))")
            r = try await officer.post(client, "/console/draws", ConsoleBrowser.hiddenFields(r, form: "form-draw"))
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            let newest = try await f.store.read { try $0.drawSummaries(region: nil, limit: 1) }
            let id = try XCTUnwrap(newest.first?.id)

            // The command with --region and an inspectors file of the same two officers draws the same.
            let path = f.folder + "/staff.toml"
            // Each account as the page takes it: its username the id, its division its region.
            try ["jinjiang-1", "jinjiang-2"].map { "[[inspector]]\nid = \"\($0)\"\nname = \"\($0)\"\nunit = \"510104\"\nregions = [\"510104\"]\n" }
                .joined().write(toFile: path, atomically: true, encoding: .utf8)
            let cli = try await DrawRun.run(.init(packPath: nil, seed: "s-1", inspectorsPath: path, asOf: "2026-07-01", createdBy: "cli",
                                                  region: "510104"), store: f.store)
            let made = try await f.store.read { try $0.draw(id: id) }
            let page = try XCTUnwrap(made?.result)
            XCTAssertEqual(page["drawn"], try XCTUnwrap(JSONValue.parse(Array(cli.json().utf8)))["drawn"])
            XCTAssertEqual(page["region"]?.stringValue, "510104")

            r = try await officer.get(client, "/console/draws")
            text = F.text(r)
            XCTAssertTrue(text.contains("/console/draws/\(id)\"") && text.contains("/console/draws/\(cli.id)\""), "its division's draws")
            var other = ConsoleBrowser()
            try await other.logIn(client, "wuhou-1")
            r = try await other.get(client, "/console/draws/\(id)")
            XCTAssertEqual(r.status, .notFound, "another district's draw")
            let wuhou = try await S.login(client, "wuhou-1")
            r = try await client.execute(uri: "/v1/admin/draws/\(id)/publish", method: .post, headers: wuhou)
            XCTAssertEqual(r.status, .notFound, "nor may it publish one")
            r = try await client.execute(uri: "/v1/admin/draws/\(id)", method: .get, headers: wuhou)
            XCTAssertEqual(r.status, .notFound, "nor read it at the API")
            // The bureau that organised it publishes it (the API does not wait for every result; the console does).
            let jinjiang = try await S.login(client, "jinjiang-1")
            r = try await client.execute(uri: "/v1/admin/draws/\(id)", method: .get, headers: jinjiang)
            XCTAssertEqual(r.status, .ok, "its own draw at the API")
            r = try await client.execute(uri: "/v1/admin/draws/\(id)/publish", method: .post, headers: jinjiang)
            XCTAssertEqual(r.status, .ok, F.text(r))
        }
    }

    /// Draws stored before the kept division and size get them from their JSON when the database is opened.
    func testOlderDrawsGetTheirDivisionAndSizeOnOpen() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await D.seed(client) }
        let path = f.folder + "/inspectors.toml"
        try D.inspectors.write(toFile: path, atomically: true, encoding: .utf8)
        for region in [nil, "510104"] {
            _ = try await DrawRun.run(.init(packPath: D.packPath, seed: "s", inspectorsPath: path, asOf: "2026-07-01", createdBy: "t",
                                            region: region), store: f.store)
        }
        let kept = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
        XCTAssertEqual(kept.map(\.region), ["510104", nil])
        XCTAssertTrue(kept.allSatisfy { $0.drawn > 0 })
        try await f.store.write { s in
            try f.rewindSchema(s, toBefore: RegulatorSchema.drawSizesVersion, PostgresSchema.drawSizesVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let filled = try await reopened.read { try $0.drawSummaries(region: nil, limit: 10) }
        XCTAssertEqual(filled, kept)
        let district = try await reopened.read { try $0.drawSummaries(region: "510104", limit: 10) }
        XCTAssertEqual(district.map(\.id), [kept[0].id])
    }

    /// Draws stored before `draw_subjects` get their rows, strata and population size from their
    /// JSON when the database is opened: the page reads the same after the upgrade.
    func testOlderDrawsGetTheirSubjectsOnOpen() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await D.seed(client) }
        let path = f.folder + "/inspectors.toml"
        try D.inspectors.write(toFile: path, atomically: true, encoding: .utf8)
        let made = try await DrawRun.run(.init(packPath: D.packPath, seed: "s", inspectorsPath: path, asOf: "2026-07-01", createdBy: "t"),
                                         store: f.store)
        let drawn = made.result.drawn
        XCTAssertGreaterThan(drawn.count, 3)
        _ = try await f.store.write { try $0.recordInspectionResult(drawID: made.id, uscc: drawn[1].uscc, result: .problems, followUp: "责令整改",
                                                                   inspectors: "J1", officer: "t", now: 1_782_000_000) }
        let head = try await f.store.read { try $0.drawHead(id: made.id) }
        let subjects = try await f.store.read { try $0.drawSubjects(drawID: made.id, offset: 0, limit: 1000) }
        XCTAssertEqual(subjects.map(\.uscc), drawn.map(\.uscc), "in the order drawn")
        XCTAssertEqual(subjects.map(\.stratum), drawn.map(\.stratum))
        XCTAssertEqual(subjects[1].result?.followUp, "责令整改", "with its result")
        XCTAssertEqual(head?.resultsRecorded, 1)
        XCTAssertEqual(head?.populationCount, made.result.populationLines.count)
        let later = try await f.store.read { try $0.drawSubjects(drawID: made.id, offset: 2, limit: 1) }
        XCTAssertEqual(later.map(\.uscc), [drawn[2].uscc], "a page from an offset")
        try await f.store.write { s in
            try f.rewindSchema(s, toBefore: RegulatorSchema.drawSubjectsVersion, PostgresSchema.drawSubjectsVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let filledHead = try await reopened.read { try $0.drawHead(id: made.id) }
        XCTAssertEqual(filledHead, head)
        let filled = try await reopened.read { try $0.drawSubjects(drawID: made.id, offset: 0, limit: 1000) }
        XCTAssertEqual(filled.map(\.uscc), subjects.map(\.uscc))
        XCTAssertEqual(filled.map(\.inspectorLabels), subjects.map(\.inspectorLabels))
        XCTAssertEqual(filled.map(\.mode), subjects.map(\.mode))
        XCTAssertEqual(filled.map(\.creditClass), subjects.map(\.creditClass))
        XCTAssertEqual(filled.map(\.result), subjects.map(\.result))
    }
}
