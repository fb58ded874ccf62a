import Foundation
import SandboxCore
import SandboxPolicy
import SandboxStorage
import TestSupport
import XCTest
@testable import SandboxAgent

/// A displayed name, code or address equal to the registered one is stored once
/// (`DisplayedAsRegistered`), and every reader of `merchants` still sees the values as exported:
/// the merchant read back, the daily re-verification's walk, the regulator's feed line, a case's
/// texts and the policy's facts. A displayed value that differs, an empty text and an absent value
/// keep what they are; a row stored with the second copy (agents before) reads the same.
final class DisplayedAsRegisteredTests: XCTestCase {
    var directory: String!
    var path: String { directory + "/state.db" }

    override func setUpWithError() throws {
        directory = try temporaryFolder(prefix: "displayed-as-registered", name)
    }

    static func merchant(_ id: String, displayedName: String?, displayedUSCC: String?, displayedAddress: String?,
                         registeredName: String? = "成都市锦江区老字号食品店") -> MerchantRecord {
        MerchantRecord(
            platformMerchantID: id, shopName: "锦江老字号", entityType: .individualBusiness, uscc: "92510104MA6C5L2X1Q",
            registeredName: registeredName, legalRepresentative: "张三", registeredAddress: "成都市锦江区春熙路1号",
            displayedName: displayedName, displayedUSCC: displayedUSCC, displayedAddress: displayedAddress,
            licenceDisplayed: true, categories: [.food], regionCode: "510104")
    }

    /// Each case: the merchant, and what its three displayed columns store (`typeof`, bytes).
    static let cases: [(MerchantRecord, [String])] = [
        (merchant("SAME", displayedName: "成都市锦江区老字号食品店", displayedUSCC: "92510104MA6C5L2X1Q",
                  displayedAddress: "成都市锦江区春熙路1号"), ["blob 0", "blob 0", "blob 0"]),
        (merchant("OTHER", displayedName: "锦江老字号", displayedUSCC: "92510104MA6C5L2X2Q",
                  displayedAddress: "春熙路1号"), ["text 15", "text 18", "text 13"]),
        (merchant("EMPTY", displayedName: "", displayedUSCC: "", displayedAddress: ""), ["text 0", "text 0", "text 0"]),
        (merchant("ABSENT", displayedName: nil, displayedUSCC: nil, displayedAddress: nil), ["null 0", "null 0", "null 0"]),
        (merchant("BOTHABSENT", displayedName: nil, displayedUSCC: "92510104MA6C5L2X1Q", displayedAddress: "成都市锦江区春熙路1号",
                  registeredName: nil), ["null 0", "blob 0", "blob 0"]),
    ]

    func testEveryReaderSeesTheDisplayedValuesAsExported() throws {
        let state = try AgentState(path: path)
        for (m, _) in Self.cases { try state.upsert(m, hash: 1, now: 2) }
        // A row as agents before this change stored it: the second copy written out.
        let copied = Self.merchant("COPIED", displayedName: "成都市锦江区老字号食品店", displayedUSCC: "92510104MA6C5L2X1Q",
                                   displayedAddress: "成都市锦江区春熙路1号")
        try state.upsert(copied, hash: 1, now: 2)
        try state.database.execute("""
            UPDATE merchants SET displayed_name = registered_name, displayed_uscc = uscc,
                                 displayed_address = registered_address WHERE platform_merchant_id = 'COPIED'
            """)
        let all = Self.cases.map(\.0) + [copied]

        let stored = try state.database.prepare("""
            SELECT typeof(displayed_name) || ' ' || length(CAST(displayed_name AS BLOB)), typeof(displayed_uscc) || ' ' || length(CAST(displayed_uscc AS BLOB)),
                   typeof(displayed_address) || ' ' || length(CAST(displayed_address AS BLOB)) FROM merchants WHERE platform_merchant_id = ?
            """)
        for (m, expected) in Self.cases {
            try stored.bind(1, m.platformMerchantID)
            XCTAssertTrue(try stored.step())
            // NULL's typeof and length concatenate to NULL.
            XCTAssertEqual((0..<3).map { stored.string(Int32($0)) ?? "null 0" }, expected, m.platformMerchantID)
            stored.reset()
        }

        for m in all {
            XCTAssertEqual(try state.merchant(id: m.platformMerchantID), m, "merchant(id:)")
            let texts = try state.caseTexts(merchantID: m.platformMerchantID)
            XCTAssertEqual(texts[.displayedName], m.displayedName, "caseTexts \(m.platformMerchantID)")
            XCTAssertEqual(texts[.displayedUSCC], m.displayedUSCC, "caseTexts \(m.platformMerchantID)")
            XCTAssertEqual(texts[.displayedAddress], m.displayedAddress, "caseTexts \(m.platformMerchantID)")
            let line = try feedLine(state, m.platformMerchantID)
            for (key, value) in [("displayed_name", m.displayedName), ("displayed_uscc", m.displayedUSCC),
                                 ("displayed_address", m.displayedAddress)] {
                XCTAssertEqual(line[key] as? String, value, "feed line \(m.platformMerchantID) \(key)")
            }
        }
        var walked: [MerchantRecord] = []
        try state.forEachMerchant { walked.append($0) }
        XCTAssertEqual(walked.sorted { $0.platformMerchantID < $1.platformMerchantID },
                       all.sorted { $0.platformMerchantID < $1.platformMerchantID })

        var facts: [String: [String?]] = [:]
        try state.scanMerchants([.displayedName, .displayedUSCC, .displayedAddress]) { s in
            facts[s.string(0)!] = [s.string(2), s.string(3), s.string(4)]
        }
        for m in all {
            XCTAssertEqual(facts[m.platformMerchantID], [m.displayedName, m.displayedUSCC, m.displayedAddress], "policy facts")
        }
    }

    /// The regulator's feed line of a merchant, as the sync sends it (its `data` object).
    func feedLine(_ state: AgentState, _ id: String) throws -> [String: Any] {
        let renderer = try FeedLineRenderer(state: state, platformID: "p")
        var out: [UInt8] = []
        XCTAssertTrue(try renderer.append(FeedEntry(seq: 1, type: .merchant, key: id, part2: nil, part3: nil), to: &out))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        return try XCTUnwrap(object["data"] as? [String: Any], "\(object)")
    }
}
