import Foundation
import SandboxCore
import SandboxStorage
import TestSupport
import XCTest
@testable import SandboxAgent

final class StateTests: XCTestCase {
    var directory: String!
    var path: String { directory + "/state.db" }
    let now: Int64 = 1_782_900_000  // 2026-07-01T10:00:00Z

    override func setUpWithError() throws {
        directory = try temporaryFolder(prefix: "state-tests", name)
    }

    // MARK: Fixtures

    static let fullMerchant = MerchantRecord(
        platformMerchantID: "M000001", shopName: "锦江老字号食品店", entityType: .individualBusiness,
        uscc: "92510104MA6C5L2X1Q", registeredName: "成都市锦江区老字号食品店", legalRepresentative: "张三",
        registeredAddress: "成都市锦江区春熙路1号", displayedName: "锦江老字号", displayedUSCC: "92510104MA6C5L2X1Q",
        displayedAddress: "春熙路1号", licenceDisplayed: true, categories: [.food], smallScaleDeclared: false,
        annualTurnoverFen: 123_456_789, verifiedAt: CivilDate(year: 2026, month: 6, day: 30)!,
        openedAt: CivilDate(year: 1999, month: 1, day: 9)!, status: .suspended, complaints90d: 3,
        regionCode: "510104")
    static let bareMerchant = MerchantRecord(platformMerchantID: "M000002", shopName: "", entityType: .naturalPerson,
                                             categories: [.other])
    static let licence = LicenceRecord(
        platformMerchantID: "M000001", licenceType: .foodBusiness, licenceNo: "JY15101040012345",
        holderName: "成都市锦江区老字号食品店", validFrom: CivilDate(year: 2021, month: 7, day: 1)!,
        validTo: CivilDate(year: 2026, month: 6, day: 30)!, issuer: "成都市锦江区市场监督管理局")
    static let event = EventRecord(eventID: "E1", platformMerchantID: "M000001", eventType: .penalty,
                                   occurredAt: 1_780_000_000, severity: .serious, description: "销售过期食品")
    static let receipt = ReceiptRecord(receiptID: "R1", instructionID: "I-7", platformMerchantID: "M000001",
                                       action: .rectified, at: 1_781_000_000, note: "已下架")
    static let registryEntry = RegistryRecord(
        uscc: "92510104MA6C5L2X1Q", name: "成都市锦江区老字号食品店", legalRepresentative: "张三",
        address: "成都市锦江区春熙路1号", registrationStatus: .revoked,
        changedAt: CivilDate(year: 2025, month: 12, day: 31)!, abnormalList: true, seriousViolationList: false,
        lastAnnualReportYear: 2024)

    static func finding(_ code: String, _ message: String = "公示信息与登记信息不一致",
                        severity: FindingSeverity = .general, found: String? = "B") -> Finding {
        Finding(code: code, severity: severity, message: message,
                evidence: [Evidence(field: "displayed_name", expected: "A \"q\" \\ \n\t\u{1}", found: found)],
                basis: "《电子商务法》第十五条")
    }

    // MARK: Round trips

    /// Every column of the merchant upsert, bound by number (`AgentState.bind(_:hash:now:reverifyOn:to:)`),
    /// lands in its own column: each value is different, so two columns swapped would show.
    func testEveryMerchantColumnTakesItsOwnValue() throws {
        let state = try AgentState(path: path)
        let m = MerchantRecord(
            platformMerchantID: "M9", shopName: "店", entityType: .individualBusiness, uscc: "92510104MA6C5L2X1Q",
            registeredName: "登记名", legalRepresentative: "法人", registeredAddress: "登记住所", displayedName: "公示名",
            displayedUSCC: "92510104MA6C5L2X2Q", displayedAddress: "公示住所", licenceDisplayed: true, categories: [.food, .drug],
            smallScaleDeclared: false, annualTurnoverFen: 7, verifiedAt: CivilDate(year: 2026, month: 6, day: 30)!,
            openedAt: CivilDate(year: 1999, month: 1, day: 9)!, status: .suspended, complaints90d: 3, regionCode: "510104")
        try state.upsert(m, hash: 11, now: 12, reverifyOn: CivilDate(year: 2027, month: 1, day: 2)!)
        let s = try state.database.prepare("SELECT \(AgentState.merchantColumns.joined(separator: ", ")), content_hash, updated_at, "
                                               + "reverify_on, revision FROM merchants")
        defer { s.reset() }
        XCTAssertTrue(try s.step())
        let texts = (0..<Int32(AgentState.merchantColumns.count + 4)).map { s.string($0) ?? "NULL" }
        XCTAssertEqual(texts, ["M9", "店", "individual_business", "92510104MA6C5L2X1Q", "登记名", "法人", "登记住所", "公示名",
                               "92510104MA6C5L2X2Q", "公示住所", "1", "food;drug", "0", "7", "2026-06-30", "1999-01-09",
                               "suspended", "3", "510104", "11", "12", "2027-01-02", "1"])
    }

    func testEveryRecordTypeRoundTrips() throws {
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.upsert(Self.fullMerchant, hash: 1, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.bareMerchant, hash: 2, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.licence, hash: 3, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.event, hash: 4, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.receipt, hash: 5, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.registryEntry, hash: 6, now: now), .inserted)
        let bareEvent = EventRecord(eventID: "E2", platformMerchantID: "M000002", eventType: .complaint, occurredAt: -5)
        XCTAssertEqual(try state.upsert(bareEvent, hash: 7, now: now), .inserted)
        let bareRegistry = RegistryRecord(uscc: "91510100000000000X", name: "某公司")
        XCTAssertEqual(try state.upsert(bareRegistry, hash: 8, now: now), .inserted)

        XCTAssertEqual(try state.merchant(id: "M000001"), Self.fullMerchant)
        XCTAssertEqual(try state.merchant(id: "M000002"), Self.bareMerchant)
        XCTAssertNil(try state.merchant(id: "M404"))
        XCTAssertEqual(try state.licences(merchantID: "M000001"), [Self.licence])
        XCTAssertEqual(try state.licences(merchantID: "M000002"), [])
        XCTAssertEqual(try state.event(id: "E1"), Self.event)
        XCTAssertEqual(try state.event(id: "E2"), bareEvent)
        XCTAssertEqual(try state.events(merchantID: "M000001"), [Self.event])
        XCTAssertEqual(try state.receipt(id: "R1"), Self.receipt)
        XCTAssertEqual(try state.receipts(instructionID: "I-7"), [Self.receipt])
        XCTAssertEqual(try state.registry(uscc: Self.registryEntry.uscc), Self.registryEntry)
        XCTAssertEqual(try state.registry(uscc: bareRegistry.uscc), bareRegistry)
        XCTAssertNil(try state.registry(uscc: "nope"))
    }

    func testDatesAreStoredAsReadableText() throws {
        let state = try AgentState(path: path)
        try state.upsert(Self.fullMerchant, hash: 1, now: now)
        let s = try state.database.prepare("SELECT verified_at, opened_at, entity_type, licence_displayed FROM merchants")
        XCTAssertTrue(try s.step())
        XCTAssertEqual(s.string(0), "2026-06-30")
        XCTAssertEqual(s.string(1), "1999-01-09")
        XCTAssertEqual(s.string(2), "individual_business")
        XCTAssertEqual(s.int64(3), 1)
        s.reset()
    }

    func testUnreadableStoredValueNamesWhatAndWhere() throws {
        let state = try AgentState(path: path)
        try state.upsert(Self.fullMerchant, hash: 1, now: now)
        try state.database.execute("UPDATE merchants SET category = 'weapons'")
        XCTAssertThrowsError(try state.merchant(id: "M000001")) { error in
            XCTAssertEqual(error as? StateError, .unreadable("merchant M000001 category", found: "weapons"))
        }
        try state.database.execute("UPDATE merchants SET category = 'food', verified_at = '2026-02-30'")
        XCTAssertThrowsError(try state.merchant(id: "M000001")) { error in
            XCTAssertEqual(error as? StateError, .unreadable("merchant M000001 verified_at", found: "2026-02-30"))
        }
    }

    // MARK: Upsert outcomes

    func testUnchangedUpsertWritesNothing() throws {
        let state = try AgentState(path: path)
        try state.transaction {
            XCTAssertEqual(try state.upsert(Self.fullMerchant, hash: 11, now: now), .inserted)
            XCTAssertEqual(try state.upsert(Self.licence, hash: 12, now: now), .inserted)
            XCTAssertEqual(try state.upsert(Self.event, hash: 13, now: now), .inserted)
            XCTAssertEqual(try state.upsert(Self.receipt, hash: 14, now: now), .inserted)
            XCTAssertEqual(try state.upsert(Self.registryEntry, hash: 15, now: now), .inserted)
        }
        let before = state.database.totalChanges
        try state.transaction {
            // Even different content with the same hash is taken as unchanged: the hash is the contract.
            var renamed = Self.fullMerchant
            renamed.shopName = "x"
            XCTAssertEqual(try state.upsert(renamed, hash: 11, now: now + 60), .unchanged)
            XCTAssertEqual(try state.upsert(Self.licence, hash: 12, now: now + 60), .unchanged)
            XCTAssertEqual(try state.upsert(Self.event, hash: 13, now: now + 60), .unchanged)
            XCTAssertEqual(try state.upsert(Self.receipt, hash: 14, now: now + 60), .unchanged)
            XCTAssertEqual(try state.upsert(Self.registryEntry, hash: 15, now: now + 60), .unchanged)
        }
        XCTAssertEqual(state.database.totalChanges, before)
        XCTAssertEqual(try state.merchant(id: "M000001"), Self.fullMerchant)
        XCTAssertEqual(try state.database.int64("SELECT updated_at FROM merchants"), now)
        XCTAssertEqual(try state.database.int64("SELECT revision FROM merchants"), 1)
    }

    func testChangedHashUpdates() throws {
        let state = try AgentState(path: path)
        try state.upsert(Self.fullMerchant, hash: 1, now: now)
        var changed = Self.fullMerchant
        changed.shopName = "新店名"
        changed.uscc = nil
        changed.verifiedAt = nil
        changed.status = .closed
        let before = state.database.totalChanges
        XCTAssertEqual(try state.upsert(changed, hash: 2, now: now + 1), .updated)
        // The row, its feed queue entry (the regulator must hear of the change) and the policy's
        // inputs version (a running agent's columns in memory are stale now).
        XCTAssertEqual(state.database.totalChanges, before + 3)
        XCTAssertEqual(try state.inputsVersion(), 2)
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 10).map(\.key), ["M000001", "M000001"])
        XCTAssertEqual(try state.merchant(id: "M000001"), changed)
        XCTAssertEqual(try state.database.int64("SELECT updated_at FROM merchants"), now + 1)
        XCTAssertEqual(try state.database.int64("SELECT revision FROM merchants"), 2)
        XCTAssertEqual(try state.upsert(changed, hash: 3, now: now + 2), .updated)
        XCTAssertEqual(try state.database.int64("SELECT revision FROM merchants"), 3)

        var licence = Self.licence
        try state.upsert(licence, hash: 1, now: now)
        licence.validTo = CivilDate(year: 2031, month: 6, day: 30)
        XCTAssertEqual(try state.upsert(licence, hash: 2, now: now), .updated)
        XCTAssertEqual(try state.licences(merchantID: "M000001"), [licence])
        // Another number is another licence.
        var second = licence
        second.licenceNo = "JY2"
        XCTAssertEqual(try state.upsert(second, hash: 2, now: now), .inserted)
        XCTAssertEqual(try state.licences(merchantID: "M000001").map(\.licenceNo), ["JY15101040012345", "JY2"])

        var registry = Self.registryEntry
        try state.upsert(registry, hash: 1, now: now)
        registry.registrationStatus = .cancelled
        XCTAssertEqual(try state.upsert(registry, hash: 9, now: now), .updated)
        XCTAssertEqual(try state.registry(uscc: registry.uscc), registry)
    }

    func testOutcomeIsRightWhateverInsertCameBefore() throws {
        let state = try AgentState(path: path)
        // rowid 1 in licences, then rowid 1 in merchants: a new row with the same rowid as the
        // connection's last insert must still count as inserted, and an update right after an
        // insert elsewhere as updated.
        XCTAssertEqual(try state.upsert(Self.licence, hash: 1, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.fullMerchant, hash: 1, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.event, hash: 1, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.fullMerchant, hash: 2, now: now), .updated)
        XCTAssertEqual(try state.upsert(Self.licence, hash: 2, now: now), .updated)
        XCTAssertEqual(try state.upsert(Self.event, hash: 2, now: now), .updated)
        XCTAssertEqual(try state.upsert(Self.receipt, hash: 2, now: now), .inserted)
        XCTAssertEqual(try state.upsert(Self.receipt, hash: 3, now: now), .updated)
        XCTAssertEqual(try state.upsert(Self.receipt, hash: 3, now: now), .unchanged)
    }

    func testLookupsByUSCCAndLicenceType() throws {
        let state = try AgentState(path: path)
        var other = Self.fullMerchant
        other.platformMerchantID = "M000000"
        try state.upsert(Self.fullMerchant, hash: 1, now: now)
        try state.upsert(other, hash: 1, now: now)
        try state.upsert(Self.bareMerchant, hash: 1, now: now)
        XCTAssertEqual(try state.merchantIDs(uscc: "92510104MA6C5L2X1Q"), ["M000000", "M000001"])
        XCTAssertEqual(try state.merchantIDs(uscc: "none"), [])
        try state.upsert(Self.licence, hash: 1, now: now)
        XCTAssertEqual(try state.merchantIDs(withLicencesOf: .foodBusiness), ["M000001"])
        XCTAssertEqual(try state.merchantIDs(withLicencesOf: .drugBusiness), [])
        let plan = try state.database.prepare("EXPLAIN QUERY PLAN SELECT platform_merchant_id FROM merchants WHERE uscc = ?")
        XCTAssertTrue(try plan.step())
        XCTAssertTrue(plan.string(3)?.contains("merchants_uscc") == true, plan.string(3) ?? "")
        plan.reset()
    }

    // MARK: Findings

    /// The look-ahead encodes the evidence of the findings it opens and changes (`PreparedVerification
    /// .evidenceJSON`, opened first); the writer stores those strings, each with its own finding.
    func testFindingsWrittenWithEvidenceEncodedAhead() throws {
        let state = try AgentState(path: path)
        try state.replaceFindings(merchantID: "M1", with: [Self.finding("A", found: "x")], now: now)
        let a2 = Self.finding("A", found: "y"), b = Self.finding("B", found: "z")
        let change = try state.findingsChange(merchantID: "M1", to: [a2, b])
        XCTAssertEqual(change, FindingsChange(opened: [b], changed: [a2]))
        try state.transaction {
            try state.writeFindings(merchantID: "M1", change: change, now: now + 1,
                                    evidenceJSON: [EvidenceJSON.encode(b.evidence), EvidenceJSON.encode(a2.evidence)])
        }
        XCTAssertEqual(try state.findings(merchantID: "M1"), [a2, b])
        // A list that does not match the change is not used: encoded here instead.
        try state.replaceFindings(merchantID: "M2", with: [], now: now)
        let opened = try state.findingsChange(merchantID: "M2", to: [a2, b])
        try state.transaction { try state.writeFindings(merchantID: "M2", change: opened, now: now, evidenceJSON: ["[]"]) }
        XCTAssertEqual(try state.findings(merchantID: "M2"), [a2, b])
    }

    func testFindingsDiff() throws {
        let state = try AgentState(path: path)
        let a = Self.finding("A"), b = Self.finding("B"), c = Self.finding("C")
        var change = try state.replaceFindings(merchantID: "M1", with: [a, b, c], now: now)
        XCTAssertEqual(change, FindingsChange(opened: [a, b, c]))
        XCTAssertEqual(try state.findings(merchantID: "M1"), [a, b, c])

        // Same findings in another order: nothing written.
        let before = state.database.totalChanges
        change = try state.replaceFindings(merchantID: "M1", with: [c, a, b], now: now + 10)
        XCTAssertTrue(change.isEmpty)
        XCTAssertEqual(state.database.totalChanges, before)

        // B changes evidence, C changes severity, A is cleared, D opens.
        let b2 = Self.finding("B", found: nil), c2 = Self.finding("C", severity: .serious), d = Self.finding("D")
        change = try state.replaceFindings(merchantID: "M1", with: [b2, c2, d], now: now + 20)
        XCTAssertEqual(change.opened, [d])
        XCTAssertEqual(change.cleared, [a])
        XCTAssertEqual(change.changed, [b2, c2])
        XCTAssertEqual(try state.findings(merchantID: "M1"), [b2, c2, d])

        // Message and basis changes count too.
        var d2 = d
        d2.message = "另一条"
        var b3 = b2
        b3.basis = "《网络交易监督管理办法》第十二条"
        change = try state.replaceFindings(merchantID: "M1", with: [b3, c2, d2], now: now + 30)
        XCTAssertEqual(change, FindingsChange(changed: [b3, d2]))

        let times = try state.database.prepare("SELECT code, first_seen, last_seen FROM findings ORDER BY code")
        var rows: [String] = []
        while try times.step() { rows.append("\(times.string(0)!) \(times.int64(1) - now) \(times.int64(2) - now)") }
        XCTAssertEqual(rows, ["B 0 30", "C 0 20", "D 20 30"])

        // Other merchants are untouched; clearing everything.
        try state.replaceFindings(merchantID: "M2", with: [a], now: now)
        change = try state.replaceFindings(merchantID: "M1", with: [], now: now + 40)
        XCTAssertEqual(change, FindingsChange(cleared: [b3, c2, d2]))
        XCTAssertEqual(try state.findings(merchantID: "M1"), [])
        XCTAssertEqual(try state.findings(merchantID: "M2"), [a])
        XCTAssertTrue(try state.replaceFindings(merchantID: "M3", with: [], now: now).isEmpty)
    }

    func testDuplicateFindingCodeIsRefusedAndWritesNothing() throws {
        let state = try AgentState(path: path)
        XCTAssertThrowsError(try state.replaceFindings(merchantID: "M1", with: [Self.finding("A"), Self.finding("A")],
                                                       now: now)) { error in
            XCTAssertEqual(error as? StateError, .duplicateFindingCode(merchantID: "M1", code: "A"))
        }
        XCTAssertEqual(try state.findings(merchantID: "M1"), [])
    }

    func testEvidenceJSONIsValidAndDeterministic() throws {
        let evidence = [Evidence(field: "f\"", expected: "统一\\\n\u{7}", found: nil), Evidence(field: "", expected: "", found: "")]
        let text = EvidenceJSON.encode(evidence)
        XCTAssertEqual(text, #"[{"field":"f\"","expected":"统一\\\n\u0007","found":null},{"field":"","expected":"","found":""}]"#)
        XCTAssertEqual(try EvidenceJSON.decode(text, "test"), evidence)
        XCTAssertEqual(EvidenceJSON.encode([]), "[]")
    }

    /// The stored evidence is read as JSONDecoder read it: members in any order, others ignored,
    /// `expected` and `found` absent or null for none; anything else is an unreadable state.
    func testEvidenceJSONReadsWhatJSONDecoderRead() throws {
        XCTAssertEqual(try EvidenceJSON.decode(#" [ {"found":"b","other":[1,{"x":null}],"field":"f"} , {"field":"g","expected":null} ] "#, "t"),
                       [Evidence(field: "f", expected: nil, found: "b"), Evidence(field: "g", expected: nil, found: nil)])
        XCTAssertEqual(try EvidenceJSON.decode("[]", "t"), [])
        for bad in ["", "{}", "[1]", #"[{"expected":"a"}]"#, #"[{"field":1}]"#, #"[{"field":"f","found":2}]"#,
                    #"[{"field":"f","expected":true}]"#, #"[{"field":"f"}"#, #"[{"field":"f"}] x"#] {
            XCTAssertThrowsError(try EvidenceJSON.decode(bad, "findings.evidence_json"), bad) { error in
                XCTAssertEqual(error as? StateError, .unreadable("findings.evidence_json", found: bad))
            }
        }
    }

    /// What `encode` writes is read off its bytes (`EvidenceJSON.canonical`), and reads as the
    /// parser reads it; text in another layout, or with escapes, is left to the parser.
    func testEvidenceAsEncodedIsReadOffItsBytesAsTheParserReadsIt() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "成都", "\"", "\\", "\n", "é", "ADM-01", " ", "{", "]", ",", "null", "\u{1F600}"]
        func text() -> String? {
            Int.random(in: 0..<5, using: &rng) == 0 ? nil
                : (0..<Int.random(in: 0..<5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
        for _ in 0..<2_000 {
            let evidence = (0..<Int.random(in: 0..<4, using: &rng)).map { _ in
                Evidence(field: text() ?? "f", expected: text(), found: text())
            }
            let encoded = EvidenceJSON.encode(evidence)
            XCTAssertEqual(try EvidenceJSON.decode(encoded, "t"), evidence, encoded)
            let escaped = encoded.utf8.contains(0x5C)
            let read = encoded.withUTF8Bytes { EvidenceJSON.canonical($0) }
            XCTAssertEqual(read, escaped ? nil : evidence, encoded)
        }
        for other in [#" [{"field":"f","expected":null,"found":"b"}]"#, #"[{"field":"f","found":"b","expected":null}]"#,
                      #"[{"field":"f","expected":null,"found":"b","x":1}]"#, #"[{"field":"f","expected":null,"found":"b"}] "#,
                      #"[{"field":null,"expected":null,"found":"b"}]"#, #"[{"field":"f","expected":null,"found":"b"}"#] {
            XCTAssertNil(other.withUTF8Bytes { EvidenceJSON.canonical($0) }, other)
        }
    }

    // MARK: Journal

    func entry(_ sha: String, _ outcome: JournalEntry.Outcome, name: String = "merchants-0701.csv") -> JournalEntry {
        JournalEntry(fileName: name, kind: ExportKind(fileName: name), size: 1_024, sha256: sha, rowsAccepted: 10,
                     rowsRejected: 2, outcome: outcome, reason: outcome == .failed ? "not UTF-8 or GB18030" : nil,
                     startedAt: now, finishedAt: now + 3)
    }

    /// The same bytes may be applied again as the newest snapshot of their kind (A, B, A).
    func testTheNewestAppliedFileOfAKind() throws {
        let state = try AgentState(path: path)
        XCTAssertNil(try state.latestApplied(kind: .merchants))
        let a = try state.recordJournal(entry("aa", .applied, name: "merchants-0701.csv"))
        XCTAssertEqual(try state.latestApplied(kind: .merchants)?.id, a)
        try state.recordJournal(entry("aa", .duplicate, name: "merchants-0701-again.csv"))
        XCTAssertEqual(try state.latestApplied(kind: .merchants)?.id, a, "a duplicate is no snapshot")
        let b = try state.recordJournal(entry("bb", .applied, name: "merchants-0702.csv"))
        XCTAssertEqual(try state.latestApplied(kind: .merchants)?.id, b)
        let again = try state.recordJournal(entry("aa", .applied, name: "merchants-0703.csv"))
        XCTAssertEqual(try state.latestApplied(kind: .merchants)?.id, again)
        XCTAssertNil(try state.latestApplied(kind: .licences))
    }

    func testJournal() throws {
        let state = try AgentState(path: path)
        XCTAssertNil(try state.journalEntry(sha256: "aa"))
        let applied = entry("aa", .applied)
        let id = try state.recordJournal(applied)
        var expected = applied
        expected.id = id
        XCTAssertEqual(try state.journalEntry(sha256: "aa"), expected)

        // Duplicates and failures of the same bytes are recorded; the applied one is still found.
        let duplicateID = try state.recordJournal(entry("aa", .duplicate, name: "merchants-0701-again.csv"))
        XCTAssertGreaterThan(duplicateID, id)
        XCTAssertEqual(try state.journalEntry(sha256: "aa")?.id, id)
        XCTAssertEqual(try state.journalEntry(fileName: "merchants-0701-again.csv")?.id, duplicateID)
        let failed = entry("bb", .failed, name: "photo.jpg")
        let failedID = try state.recordJournal(failed)
        XCTAssertNil(try state.journalEntry(sha256: "bb")?.kind)
        XCTAssertEqual(try state.journalEntry(sha256: "bb")?.reason, "not UTF-8 or GB18030")

        XCTAssertEqual(try state.recentJournal(limit: 2).map(\.id), [failedID, duplicateID])
        XCTAssertEqual(try state.recentJournal(limit: 10).count, 3)
    }

    // MARK: Outbox

    func testOutboxNamesSequenceAndOrder() throws {
        let state = try AgentState(path: path)
        let first = try state.enqueueOutbox(kind: "guidance", body: Array("{\"a\":1}\n".utf8), now: now)
        let second = try state.enqueueOutbox(kind: "rejects", body: [], now: now + 3_661)
        let third = try state.enqueueOutbox(kind: "warning", body: [1, 2], now: 0)
        XCTAssertEqual(first, "guidance-00000001-20260701T100000Z.jsonl")
        XCTAssertEqual(second, "rejects-00000002-20260701T110101Z.jsonl")
        XCTAssertEqual(third, "warning-00000003-19700101T000000Z.jsonl")
        XCTAssertEqual(AgentState.outboxFileName(kind: "k", now: -1, seq: 123_456_789),
                       "k-123456789-19691231T235959Z.jsonl")

        XCTAssertEqual(try state.pendingOutbox(limit: 10), [
            PendingOutboxFile(seq: 1, fileName: first, body: Array("{\"a\":1}\n".utf8)),
            PendingOutboxFile(seq: 2, fileName: second, body: []),
            PendingOutboxFile(seq: 3, fileName: third, body: [1, 2]),
        ])
        XCTAssertEqual(try state.pendingOutbox(limit: 1).map(\.seq), [1])
        XCTAssertTrue(try state.removeOutbox(seq: 1))
        XCTAssertFalse(try state.removeOutbox(seq: 1))
        XCTAssertTrue(try state.removeOutbox(seq: 3))
        XCTAssertEqual(try state.pendingOutbox(limit: 10).map(\.seq), [2])
        // Sequence numbers are never reused, even after the newest was removed: gaps stay visible.
        XCTAssertEqual(try state.enqueueOutbox(kind: "prompt", body: [], now: now), "prompt-00000004-20260701T100000Z.jsonl")

        XCTAssertThrowsError(try state.enqueueOutbox(kind: "../etc", body: [], now: now)) { error in
            XCTAssertEqual(error as? StateError, .invalidOutboxKind("../etc"))
        }
        XCTAssertThrowsError(try state.enqueueOutbox(kind: "", body: [], now: now))
    }

    // MARK: Transactions and durability

    func testTransactionRollbackLeavesNothing() throws {
        struct Crash: Error {}
        let state = try AgentState(path: path)
        XCTAssertThrowsError(try state.transaction {
            try state.upsert(Self.fullMerchant, hash: 1, now: now)
            try state.upsert(Self.licence, hash: 1, now: now)
            try state.replaceFindings(merchantID: "M000001", with: [Self.finding("A")], now: now)
            try state.recordJournal(entry("aa", .applied))
            _ = try state.enqueueOutbox(kind: "guidance", body: [1], now: now)
            throw Crash()
        })
        XCTAssertEqual(try state.statistics(), StateStatistics())
        XCTAssertNil(try state.merchant(id: "M000001"))
        // The rolled-back seq is not burnt: AUTOINCREMENT's counter rolled back too.
        XCTAssertEqual(try state.enqueueOutbox(kind: "guidance", body: [1], now: now),
                       "guidance-00000001-20260701T100000Z.jsonl")
    }

    func testReopenedDatabaseKeepsEverything() throws {
        do {
            let state = try AgentState(path: path)
            try state.transaction {
                try state.upsert(Self.fullMerchant, hash: 1, now: now)
                try state.upsert(Self.registryEntry, hash: 1, now: now)
                try state.replaceFindings(merchantID: "M000001", with: [Self.finding("A")], now: now)
                try state.recordJournal(entry("aa", .applied))
                _ = try state.enqueueOutbox(kind: "guidance", body: [9], now: now)
            }
        }
        let reopened = try AgentState(path: path)
        XCTAssertEqual(try reopened.database.userVersion, StateSchema.migrations.count)
        XCTAssertEqual(try reopened.merchant(id: "M000001"), Self.fullMerchant)
        XCTAssertEqual(try reopened.registry(uscc: Self.registryEntry.uscc), Self.registryEntry)
        XCTAssertEqual(try reopened.findings(merchantID: "M000001"), [Self.finding("A")])
        XCTAssertEqual(try reopened.journalEntry(sha256: "aa")?.fileName, "merchants-0701.csv")
        XCTAssertEqual(try reopened.pendingOutbox(limit: 5).map(\.body), [[9]])
        XCTAssertEqual(try reopened.upsert(Self.fullMerchant, hash: 1, now: now), .unchanged)
    }

    func testStatistics() throws {
        let state = try AgentState(path: path)
        try state.upsert(Self.fullMerchant, hash: 1, now: now)
        try state.upsert(Self.bareMerchant, hash: 1, now: now)
        try state.upsert(Self.licence, hash: 1, now: now)
        try state.upsert(Self.event, hash: 1, now: now)
        try state.upsert(Self.receipt, hash: 1, now: now)
        try state.upsert(Self.registryEntry, hash: 1, now: now)
        try state.replaceFindings(merchantID: "M000001", with: [Self.finding("A"), Self.finding("B")], now: now)
        try state.replaceFindings(merchantID: "M000002", with: [Self.finding("A")], now: now)
        try state.recordJournal(entry("aa", .applied))
        try state.recordJournal(entry("aa", .duplicate))
        try state.recordJournal(entry("bb", .duplicate))
        let lastID = try state.recordJournal(entry("cc", .failed))
        _ = try state.enqueueOutbox(kind: "guidance", body: [], now: now)

        var expected = StateStatistics()
        expected.merchants = 2
        expected.licences = 1
        expected.events = 1
        expected.receipts = 1
        expected.registryEntries = 1
        expected.merchantsWithFindings = 2
        expected.findingsByCode = ["A": 2, "B": 1]
        expected.filesApplied = 1
        expected.filesDuplicate = 2
        expected.filesFailed = 1
        // Rows count over applied files only (the duplicate and failed entries carry rows too).
        expected.rowsAccepted = 10
        expected.rowsRejected = 2
        expected.pendingOutboxFiles = 1
        var last = entry("cc", .failed)
        last.id = lastID
        expected.lastJournalEntry = last
        XCTAssertEqual(try state.statistics(), expected)
    }
}
