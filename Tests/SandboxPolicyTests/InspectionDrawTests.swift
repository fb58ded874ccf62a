import XCTest
@testable import SandboxCore
@testable import SandboxPolicy
import TestSupport

final class InspectionDrawTests: XCTestCase {
    static let ratios = ["sandbox": 200, "A": 500, "B": 1500, "C": 3000, "D": 5000]

    static func uscc(_ i: Int, region: String = "510104") -> String {
        let digits = String(i)
        return "91" + region + String(repeating: "0", count: 10 - digits.count) + digits
    }

    /// 40 members, 60 A, 30 B, 20 C, 10 D, 15 never classified, all in one region.
    static func population(region: String = "510104") -> [InspectionSubject] {
        var out: [InspectionSubject] = []
        var i = 0
        func add(_ count: Int, member: Bool = false, _ classes: [String]) {
            for _ in 0..<count {
                i += 1
                out.append(InspectionSubject(uscc: uscc(i, region: region), name: "企业\(i)", member: member, classes: classes))
            }
        }
        add(40, member: true, ["A"]); add(60, ["A"]); add(30, ["A", "B"]); add(20, ["C", "A"]); add(10, ["D"]); add(15, [])
        return out
    }

    static let inspectors = (1...6).map { Inspector(id: "I\($0)", name: "检查员\($0)", regions: ["510104"]) }

    func draw(_ population: [InspectionSubject], seed: String = "2026-07-01 福彩 123",
              inspectors: [Inspector] = inspectors) throws -> InspectionDrawResult {
        try InspectionDraw.run(seed: seed, population: population, ratioBasisPoints: Self.ratios,
                               inspectorsPerSubject: 2, inspectors: inspectors)
    }

    func testReproducibleAndIndependentOfInputOrder() throws {
        let a = try draw(Self.population())
        let b = try draw(Self.population())
        XCTAssertEqual(a, b)
        var shuffled = Self.population()
        var rng = SystemRandomNumberGenerator()
        shuffled.shuffle(using: &rng)
        XCTAssertEqual(try draw(shuffled), a, "the order subjects come in must not change the draw")
        XCTAssertNotEqual(try draw(Self.population(), seed: "another seed").drawn.map(\.uscc), a.drawn.map(\.uscc))
    }

    func testStrataSampleSizesAndRounding() throws {
        let r = try draw(Self.population())
        let byName = Dictionary(uniqueKeysWithValues: r.strata.map { ($0.name, $0) })
        XCTAssertEqual(r.strata.map(\.name), ["sandbox", "A", "B", "C", "D"])
        // sandbox 40 × 2 % = 0.8 → 1; A 60 × 5 % = 3; B (30 + 15 unclassified) × 15 % = 6.75 → 7;
        // C 20 × 30 % = 6; D 10 × 50 % = 5.
        XCTAssertEqual(byName["sandbox"].map { [$0.n, $0.k] }, [40, 1])
        XCTAssertEqual(byName["A"].map { [$0.n, $0.k] }, [60, 3])
        XCTAssertEqual(byName["B"].map { [$0.n, $0.k] }, [45, 7])
        XCTAssertEqual(byName["C"].map { [$0.n, $0.k] }, [20, 6])
        XCTAssertEqual(byName["D"].map { [$0.n, $0.k] }, [10, 5])
        XCTAssertEqual(r.unclassified, 15)
        XCTAssertEqual(r.drawn.count, 22)
        XCTAssertEqual(InspectionDraw.sampleSize(n: 1, basisPoints: 1), 1, "a non-empty stratum with a ratio > 0 gets one")
        XCTAssertEqual(InspectionDraw.sampleSize(n: 0, basisPoints: 5000), 0)
        XCTAssertEqual(InspectionDraw.sampleSize(n: 7, basisPoints: 0), 0)
        XCTAssertEqual(InspectionDraw.sampleSize(n: 100, basisPoints: 1500), 15, "exact products are not rounded up")
        XCTAssertEqual(InspectionDraw.sampleSize(n: 3, basisPoints: 10_000), 3)
        // Members stay in `sandbox` whatever their class; C beats A; unclassified go to B.
        let drawnC = r.drawn.filter { $0.stratum == "C" }
        XCTAssertTrue(drawnC.allSatisfy { $0.creditClass == "C" })
        XCTAssertEqual(r.drawn.filter { $0.stratum == "sandbox" }.first?.creditClass, "A")
    }

    func testSelectionIsTheSmallestHashesAsSha256sumComputesThem() throws {
        let population = Self.population()
        let r = try draw(population)
        for stratum in InspectionDraw.strata {
            let hashes = population.filter { $0.stratum == stratum }
                .map { PureSHA256.hexDigest(Array("credit-sandbox/draw/v1\u{1F}2026-07-01 福彩 123\u{1F}\(stratum)\u{1F}\($0.uscc)".utf8)) }
                .sorted()
            let k = r.strata.first { $0.name == stratum }!.k
            XCTAssertEqual(r.drawn.filter { $0.stratum == stratum }.map(\.hash), Array(hashes.prefix(k)), stratum)
        }
        let digestInput = population.map { "\($0.uscc),\($0.stratum)\n" }.sorted().joined()
        XCTAssertEqual(r.populationDigest, try Sha256sum.hex(Array(digestInput.utf8)))
    }

    func testInspectorsAreBalancedDistinctAndEligible() throws {
        for seed in ["s1", "s2", "s3", "s4", "s5"] {
            let r = try draw(Self.population(), seed: seed)
            var load: [String: Int] = [:]
            for d in r.drawn {
                XCTAssertEqual(d.inspectors.count, 2)
                XCTAssertEqual(Set(d.inspectors).count, 2, "two different inspectors per subject")
                for i in d.inspectors { load[i, default: 0] += 1 }
            }
            // 22 subjects × 2 over 6 inspectors: cap ⌈44 / 6⌉ = 8, so at least 4 of them carry 8.
            XCTAssertEqual(load.values.reduce(0, +), 44)
            XCTAssertLessThanOrEqual(load.values.max() ?? 0, 8, "seed \(seed): \(load)")
            XCTAssertEqual(load.count, 6, "seed \(seed): every inspector gets work: \(load)")
        }
    }

    func testRegionsAndInactiveInspectors() throws {
        let population = Self.population(region: "510104") + [
            InspectionSubject(uscc: Self.uscc(900, region: "510107"), name: "武侯企业", member: false, classes: ["D"]),
        ]
        let inspectors = Self.inspectors + [
            Inspector(id: "W1", name: "武侯1", regions: ["510107"]),
            Inspector(id: "W2", name: "武侯2", regions: ["510107"], active: false),
            Inspector(id: "ANY", name: "全市", regions: []),
        ]
        let r = try draw(population, inspectors: inspectors)
        let wuhou = try XCTUnwrap(r.drawn.first { $0.uscc == Self.uscc(900, region: "510107") })
        XCTAssertEqual(Set(wuhou.inspectors), ["W1", "ANY"], "only active inspectors of the region or of any region")
        for d in r.drawn where d.uscc != wuhou.uscc { XCTAssertFalse(d.inspectors.contains("W1")) }
    }

    func testTooFewInspectorsNamesTheRegion() {
        let population = [InspectionSubject(uscc: Self.uscc(1, region: "510107"), name: "x", member: false, classes: ["D"])]
        let inspectors = [Inspector(id: "W1", name: "w", regions: ["510107"]), Inspector(id: "Q", name: "q", regions: ["510104"])]
        XCTAssertThrowsError(try draw(population, inspectors: inspectors)) { error in
            XCTAssertEqual(error as? InspectionDrawError, .tooFewInspectors(region: "510107", uscc: Self.uscc(1, region: "510107"), eligible: 1, needed: 2))
            XCTAssertTrue("\(error)".contains("510107"))
        }
    }

    func testDuplicateSubjectAndEmptySeedAreRefused() {
        let one = InspectionSubject(uscc: Self.uscc(1), name: "x", member: false, classes: [])
        XCTAssertThrowsError(try draw([one, one])) { XCTAssertEqual($0 as? InspectionDrawError, .duplicateSubject(uscc: one.uscc)) }
        XCTAssertThrowsError(try draw([one], seed: "")) { XCTAssertEqual($0 as? InspectionDrawError, .emptySeed) }
    }
}
