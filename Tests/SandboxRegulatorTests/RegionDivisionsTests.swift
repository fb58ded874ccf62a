import SandboxStorage
import XCTest
@testable import SandboxRegulator

/// A region's range of divisions selects exactly the divisions the prefix test selects, nines
/// and letters included.
final class RegionDivisionsTests: XCTestCase {
    func testTheRangeIsThePrefix() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE d (division TEXT NOT NULL)")
        let divisions = ["510104", "510100", "5101ZZ", "510999", "5109AB", "511000", "519999", "520000", "51", "", "990000", "99ZZZZ",
                         "9A0000", "980000", "000000", "0A0000", "109999", "110000"]
        for d in divisions {
            let s = try db.prepare("INSERT INTO d VALUES (?1)")
            try s.bind(1, d)
            try s.step()
            s.reset()
        }
        for region in ["51", "5101", "510104", "5109", "510999", "5199", "99", "9999", "999999", "00", "10", "1099", "52"] {
            let divisions = RegionDivisions(region)
            func select(_ condition: String, _ values: [String]) throws -> [String] {
                let q = try db.prepare("SELECT division FROM d WHERE \(condition) ORDER BY division")
                defer { q.reset() }
                for (n, v) in values.enumerated() { try q.bind(Int32(n + 1), v) }
                var out: [String] = []
                while try q.step() { out.append(q.string(0) ?? "") }
                return out
            }
            XCTAssertEqual(try select(divisions.condition("division", first: 1), divisions.values),
                           try select("substr(division, 1, length(?1)) = ?1", [region]), region)
            // The range alone (what an index reads) holds every row of the prefix.
            let range = divisions.before == nil ? "division >= ?1" : "division >= ?1 AND division < ?2"
            XCTAssertEqual(try select(range, divisions.values).filter { $0.hasPrefix(region) },
                           try select("substr(division, 1, length(?1)) = ?1", [region]), "the range of \(region)")
        }
    }
}
