import Foundation
import Hummingbird

import SandboxCore
import SandboxPolicy
import SandboxWire
import XCTest
@testable import SandboxRegulator

/// The console's draw preview prepared in the background (issue 14, `draw_preparations`): 抽取
/// stores the draw the officer previewed — its population as it was then, not read again — on any
/// node, once; the page shows progress while a node works and is taken over when that node is
/// gone; only the officer who asked sees it; an old or failed preview is not drawn.
final class DrawPreparationTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias D = DrawRunTests
    typealias S = StaffAccessTests

    static let file = [(field: "inspectors_file", filename: "inspectors.toml", content: Array(D.inspectors.utf8))]

    /// The id of the preparation a prepared preview's 抽取 form names.
    static func preparation(_ r: TestResponse) throws -> Int64 {
        let fields = ConsoleBrowser.hiddenFields(r, form: "form-draw")
        return try XCTUnwrap(Int64(try XCTUnwrap(fields.first { $0.0 == "preparation" }?.1)), F.text(r))
    }

    /// A city officer signed in on the draws page, with its form token.
    static func cityOfficer(_ client: some TestClientProtocol) async throws -> (ConsoleBrowser, String) {
        try await S.addStaff(client, "city-1", role: "city")
        var city = ConsoleBrowser()
        try await city.logIn(client, "city-1")
        let page = try await city.get(client, "/console/draws")
        return (city, try XCTUnwrap(ConsoleBrowser.formToken(page)))
    }

    func testTheDrawStoredIsThePreviewedOneOnAnyNodeAndOnlyOnce() async throws {
        let f = try await DrawPageTests.published(); defer { f.remove() }
        let node2 = try f.secondRouter(); defer { node2.store.backend.close() }
        let inspectors = try InspectorsFile.parse(D.inspectors, file: "test")
        try await f.app().test(.router) { client in
            var (city, token) = try await Self.cityOfficer(client)
            // What the command would draw at the moment of the preview.
            let then = try await DrawRun.draw(seed: "2026-07-01", inspectors: inspectors, asOf: "2026-07-01", region: nil, packPath: nil,
                                              store: f.store, now: Timestamp.now())
            let preview = try await city.previewDraw(client, [("csrf", token), ("seed", "2026-07-01"), ("as_of", "2026-07-01")],
                                                     files: Self.file)
            XCTAssertEqual(preview.status, .ok, F.text(preview))
            XCTAssertTrue(F.text(preview).contains(#"<dd id="population">13</dd>"#), F.text(preview))
            XCTAssertTrue(F.text(preview).contains(then.result.populationDigest), "the preview shows the population's digest")
            XCTAssertTrue(F.text(preview).contains("<td>D</td><td>4</td><td>50%</td><td><strong>2</strong></td>"), F.text(preview))
            for d in then.result.drawn { XCTAssertFalse(F.text(preview).contains(d.uscc), "the preview names no drawn enterprise") }
            let id = try Self.preparation(preview)
            var stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            XCTAssertTrue(stored.isEmpty, "a preview stores no draw")

            // The population changes after the preview: a new enterprise is filed.
            let (status, _) = try await PolicyItems.post(client, platform: "A", key: "a-new",
                                                         [F.merchantLine(platform: "A", id: "m16", uscc: D.uscc(16))])
            XCTAssertEqual(status, .ok)
            let now = try await DrawRun.draw(seed: "2026-07-01", inspectors: inspectors, asOf: "2026-07-01", region: nil, packPath: nil,
                                             store: f.store, now: Timestamp.now())
            XCTAssertEqual(now.result.populationCount, 14, "the population has changed since the preview")

            // Another node shows the same preview and draws it: the population the officer saw.
            let elsewhere = city
            let location = try await Application(router: node2.build()).test(.router) { client2 in
                var city = elsewhere
                var r = try await city.get(client2, "/console/draws/preparations/\(id)")
                XCTAssertEqual(r.status, .ok, F.text(r))
                XCTAssertTrue(F.text(r).contains(#"<dd id="population">13</dd>"#), F.text(r))
                r = try await city.post(client2, "/console/draws", ConsoleBrowser.hiddenFields(r, form: "form-draw"))
                XCTAssertEqual(r.status, .seeOther, F.text(r))
                return r.headers[.location]
            }
            stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            XCTAssertEqual(stored.count, 1)
            XCTAssertEqual(location, "/console/draws/\(try XCTUnwrap(stored.first?.id))")
            let drawID = try XCTUnwrap(stored.first?.id)
            XCTAssertEqual(stored.first?.createdBy, "city-1")
            let head = try await f.store.read { try $0.drawHead(id: drawID) }
            XCTAssertEqual(head?.populationCount, 13)
            XCTAssertEqual(head?.populationDigest, then.result.populationDigest)
            let kept = try await f.store.read { try $0.storedDraw(id: drawID) }
            XCTAssertEqual(kept?.population, then.result.population, "the population lines as previewed")
            let subjects = try await f.store.read { try $0.drawSubjects(drawID: drawID, offset: 0, limit: 100) }
            XCTAssertEqual(subjects.map(\.uscc), then.result.drawn.map(\.uscc), "the drawn as the preview's draw drew them")
            let result = try await f.store.read { try $0.draw(id: drawID) }
            XCTAssertEqual(result?.result["drawn"], JSONValue.parse(Array(then.json().utf8))?["drawn"])

            // 抽取 again (a second click, or the back button): the same draw, not a second one.
            var r = try await city.post(client, "/console/draws", [("csrf", token), ("preparation", String(id))])
            XCTAssertEqual(r.headers[.location], "/console/draws/\(drawID)")
            stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            XCTAssertEqual(stored.count, 1, "one draw")
            r = try await city.get(client, "/console/draws/preparations/\(id)")
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertEqual(r.headers[.location], "/console/draws/\(drawID)", "a drawn preview leads to its draw")
            let left = try await f.store.read { s in
                (try s.database.int64("SELECT count(*) FROM draw_preparation_subjects"),
                 try s.database.int64("SELECT count(*) FROM draw_preparations WHERE population IS NOT NULL OR result IS NOT NULL"))
            }
            XCTAssertEqual(left.0, 0, "the prepared subjects moved to the draw")
            XCTAssertEqual(left.1, 0, "the prepared population is not kept twice")
        }
    }

    func testAnOfficerSeesAndDrawsOnlyTheirOwnPreviews() async throws {
        let f = try await DrawPageTests.published(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "jinjiang-2", role: "district", district: "510104")
            var first = ConsoleBrowser(), second = ConsoleBrowser()
            try await first.logIn(client, "jinjiang-1")
            try await second.logIn(client, "jinjiang-2")
            let tokenPage = try await first.get(client, "/console/draws")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(tokenPage))
            let preview = try await first.previewDraw(client, [("csrf", token), ("seed", "s-1"), ("as_of", "2026-07-01"),
                                                              ("inspector", "jinjiang-1"), ("inspector", "jinjiang-2")], files: [])
            XCTAssertTrue(F.text(preview).contains(#"<dd id="population">12</dd>"#), F.text(preview))
            let id = try Self.preparation(preview)
            let secondTokenPage = try await second.get(client, "/console/draws")
            let secondToken = try XCTUnwrap(ConsoleBrowser.formToken(secondTokenPage))
            var r = try await second.get(client, "/console/draws/preparations/\(id)")
            XCTAssertEqual(r.status, .notFound, "a colleague's preview is one never made")
            r = try await second.get(client, "/console/draws/preparations/\(id)/state")
            XCTAssertEqual(r.status, .notFound)
            r = try await second.post(client, "/console/draws", [("csrf", secondToken), ("preparation", String(id))])
            XCTAssertEqual(r.status, .notFound, "nor can it be drawn by another")
            let stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            XCTAssertTrue(stored.isEmpty)
            r = try await first.post(client, "/console/draws", [("csrf", token), ("preparation", String(id))])
            XCTAssertEqual(r.status, .seeOther, "its own officer draws it")
        }
    }

    func testThePageShowsProgressAndTakesOverAPreviewWhoseNodeStopped() async throws {
        let f = try await DrawPageTests.published(); defer { f.remove() }
        let inspectors = try InspectorsFile.parse(D.inspectors, file: "test")
        let request = DrawPreparationRequest(seed: "2026-07-01", asOf: "2026-07-01", region: nil, inspectors: inspectors)
        try await f.app().test(.router) { client in
            var (city, token) = try await Self.cityOfficer(client)
            // A node at work on it (its heartbeat fresh): the page waits, and says so.
            let working = try await f.store.write { try $0.openDrawPreparation(request, createdBy: "city-1", now: Timestamp.now()) }
            var r = try await city.get(client, "/console/draws/preparations/\(working)")
            XCTAssertEqual(r.status, .ok, F.text(r))
            var text = F.text(r)
            XCTAssertTrue(text.contains(#"role="status" aria-live="polite" data-poll="/console/draws/preparations/\#(working)/state""#), text)
            XCTAssertTrue(text.contains("排队等候") && text.contains(#"<a href="/console/draws/preparations/\#(working)" id="refresh">"#), text)
            r = try await city.get(client, "/console/draws/preparations/\(working)/state")
            let state = try F.json(r)
            XCTAssertEqual(state["state"] as? String, "preparing")
            XCTAssertEqual(state["phase"] as? String, "queued")
            r = try await city.post(client, "/console/draws", [("csrf", token), ("preparation", String(working))])
            XCTAssertEqual(r.status, .conflict, "nothing to draw while it is prepared")

            // Its node stopped a minute ago: the page's next visit takes it over and prepares it.
            let orphan = try await f.store.write {
                try $0.openDrawPreparation(request, createdBy: "city-1", now: Timestamp.now() - 2 * DrawPreparation.staleSeconds)
            }
            r = try await city.waitForPreparation(client, "/console/draws/preparations/\(orphan)")
            XCTAssertEqual(r.status, .ok, F.text(r))
            text = F.text(r)
            XCTAssertTrue(text.contains(#"<dd id="population">13</dd>"#) && text.contains(#"id="form-draw""#), text)
            let taken = try await f.store.read { try $0.drawPreparation(id: orphan) }
            XCTAssertEqual(taken?.state, .ready)
            let claimed = try await f.store.write { try $0.claimStaleDrawPreparation(id: orphan, now: Timestamp.now()) }
            XCTAssertFalse(claimed, "a prepared draw is not taken over again")
        }
    }

    func testAnOldOrFailedPreviewIsNotDrawn() async throws {
        let f = try await DrawPageTests.published(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var (city, token) = try await Self.cityOfficer(client)
            var r = try await city.previewDraw(client, [("csrf", token), ("seed", "old"), ("as_of", "2026-07-01")], files: Self.file)
            let id = try Self.preparation(r)
            let drawnList = try await f.store.read { s in
                try s.database.int64("SELECT count(*) FROM draw_preparation_subjects WHERE preparation_id = \(id)")
            }
            XCTAssertGreaterThan(drawnList ?? 0, 0, "a prepared preview keeps its drawn list for 抽取")
            try await f.store.write { s in
                try s.database.execute("UPDATE draw_preparations SET prepared_at = prepared_at - \(DrawPreparation.validSeconds + 1)")
            }
            r = try await city.post(client, "/console/draws", [("csrf", token), ("preparation", String(id))])
            XCTAssertEqual(r.status, .conflict)
            XCTAssertTrue(F.text(r).contains("more than an hour old"), F.text(r))

            // A division with no enterprise: the preparation fails and the page says why.
            r = try await city.previewDraw(client, [("csrf", token), ("seed", "s"), ("as_of", "2026-07-01"), ("region", "510199")],
                                           files: Self.file)
            XCTAssertEqual(r.status, .conflict, F.text(r))
            XCTAssertTrue(F.text(r).contains("the population is empty") && F.text(r).contains(#"role="alert""#), F.text(r))
            // Asking again gave back the old preview's population and drawn list (tens of MB for a city).
            let kept = try await f.store.read { s in
                (try s.database.int64("SELECT count(*) FROM draw_preparation_subjects WHERE preparation_id = \(id)"),
                 try s.database.int64("SELECT count(*) FROM draw_preparations WHERE id = \(id) AND (population IS NOT NULL OR result IS NOT NULL)"))
            }
            XCTAssertEqual(kept.0, 0, "an expired preview's drawn list is dropped")
            XCTAssertEqual(kept.1, 0, "an expired preview's population is dropped")
            r = try await city.post(client, "/console/draws", [("csrf", token), ("preparation", String(id))])
            XCTAssertEqual(r.status, .conflict, "and it is still refused as old")
            r = try await city.previewDraw(client, [("csrf", token), ("seed", "s"), ("as_of", "1 July")], files: Self.file)
            XCTAssertEqual(r.status, .badRequest, "a day that is no date is refused at once")
            let stored = try await f.store.read { try $0.drawSummaries(region: nil, limit: 10) }
            XCTAssertTrue(stored.isEmpty)
        }
    }

    func testPreviewsAreForgottenADayAfterTheyWereAskedFor() async throws {
        let f = try F(); defer { f.remove() }
        let request = DrawPreparationRequest(seed: "s", asOf: nil, region: "510104",
                                             inspectors: [Inspector(id: "J1", name: "锦江一", regions: ["510104"], active: false)])
        let now = Timestamp.now()
        let old = try await f.store.write { try $0.openDrawPreparation(request, createdBy: "a", now: now - DrawPreparation.keptSeconds - 1) }
        let kept = try await f.store.read { try $0.drawPreparation(id: old) }
        XCTAssertEqual(kept?.request, request, "the request as asked, to take it over on another node")
        let new = try await f.store.write { try $0.openDrawPreparation(request, createdBy: "a", now: now) }
        let gone = try await f.store.read { try $0.drawPreparation(id: old) }
        XCTAssertNil(gone)
        let there = try await f.store.read { try $0.drawPreparation(id: new) }
        XCTAssertEqual(there?.state, .preparing)
    }
}
