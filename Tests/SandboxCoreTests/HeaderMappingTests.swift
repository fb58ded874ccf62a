import XCTest
@testable import SandboxCore

final class HeaderMappingTests: XCTestCase {
    let allEnglish = ExportSchema.merchants.map(\.english)

    func testEnglishHeader() {
        let m = HeaderMapping(kind: .merchants, columns: allEnglish)
        XCTAssertEqual(m.unknownColumns, [])
        XCTAssertEqual(m.missingRequired, [])
        XCTAssertEqual(m.duplicateColumns, [])
        XCTAssertEqual(m.columnOfField, Array(0..<19))
        XCTAssertNil(m.refusal)
    }

    func testChineseHeaderInAnyOrderWithBOMAndSpaces() {
        let cols = ["\u{FEFF}经营类目", " 主体类型 ", "店铺名称", "平台经营者ID", "统一社会信用代码", "年交易额（元）", "企业名称"]
        let m = HeaderMapping(kind: .merchants, columns: cols)
        XCTAssertEqual(m.missingRequired, [])
        XCTAssertEqual(m.unknownColumns, [])
        XCTAssertEqual(m.fieldOfColumn, [11, 2, 1, 0, 3, 13, 4])
        XCTAssertEqual(m.columnOfField[0], 3)
        XCTAssertEqual(m.columnOfField[5], -1)
    }

    func testMixedAndCaseInsensitive() {
        let cols = ["Platform_Merchant_ID", "店铺名称", "ENTITY_TYPE", "category", "平台经营者id"]
        let m = HeaderMapping(kind: .merchants, columns: cols)
        XCTAssertEqual(m.fieldOfColumn, [0, 1, 2, 11, -1])
        XCTAssertEqual(m.duplicateColumns, ["平台经营者id"])
        XCTAssertEqual(m.warnings, ["repeated columns ignored (the first one is used): 平台经营者id"])
    }

    func testUnknownAndMissingRequired() {
        let m = HeaderMapping(kind: .merchants, columns: ["店铺名称", "备注", "entity_type", "  ", "colour"])
        XCTAssertEqual(m.unknownColumns, ["备注", "  ", "colour"])
        XCTAssertEqual(m.missingRequired, ["platform_merchant_id/平台经营者ID", "category/经营类目"])
        XCTAssertFalse(m.isComplete)
        XCTAssertEqual(m.refusal, "missing required columns: platform_merchant_id/平台经营者ID, category/经营类目"
            + " (the header must name each, in English or Chinese)")
    }

    func testUSCCIsNotRequiredForMerchantsButForRegistry() {
        XCTAssertEqual(HeaderMapping(kind: .merchants, columns: ["platform_merchant_id", "shop_name", "entity_type",
                                                                  "category"]).missingRequired, [])
        XCTAssertEqual(HeaderMapping(kind: .registry, columns: ["名称"]).missingRequired, ["uscc/统一社会信用代码"])
    }

    func testEveryKindsNamesAreUnambiguous() {
        for kind in ExportKind.allCases {
            let schema = ExportSchema.columns(for: kind)
            var seen: [String: String] = [:]
            for col in schema {
                for name in [col.english] + col.chinese {
                    let key = HeaderMapping.normalized(name)
                    XCTAssert(seen[key] == nil || seen[key] == col.english, "\(kind): \(name) names both \(seen[key] ?? "") and \(col.english)")
                    seen[key] = col.english
                    XCTAssertEqual(HeaderMapping.field(named: name, kind: kind).map { schema[$0].english }, col.english)
                }
            }
        }
    }

    /// Issue 17 item 3: a JSON Lines file that grows a key per line re-mapped every column for each
    /// new key. Extending maps only the new ones, and ends where a fresh mapping would.
    func testExtendingAMappingEqualsBuildingItAfresh() {
        let all = ["receipt_id", "回执编号", "x1", "instruction_id", "at", "x2", "指令编号", "action", "platform_merchant_id", "note"]
        var mapping = HeaderMapping(kind: .receipts, columns: [])
        for n in 1...all.count {
            mapping = mapping.extended(to: Array(all.prefix(n)))
            let fresh = HeaderMapping(kind: .receipts, columns: Array(all.prefix(n)))
            XCTAssertEqual(mapping.fieldOfColumn, fresh.fieldOfColumn, "\(n)")
            XCTAssertEqual(mapping.columnOfField, fresh.columnOfField, "\(n)")
            XCTAssertEqual(mapping.unknownColumns, fresh.unknownColumns, "\(n)")
            XCTAssertEqual(mapping.duplicateColumns, fresh.duplicateColumns, "\(n)")
            XCTAssertEqual(mapping.missingRequired, fresh.missingRequired, "\(n)")
        }
        // Columns that do not extend the mapping (another file) are mapped afresh.
        let other = mapping.extended(to: ["note", "at"])
        XCTAssertEqual(other.columns, ["note", "at"])
        XCTAssertEqual(other.fieldOfColumn, HeaderMapping(kind: .receipts, columns: ["note", "at"]).fieldOfColumn)
    }
}
