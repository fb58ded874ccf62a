import TestSupport
import XCTest
@testable import SandboxCore
@testable import SandboxPolicy

/// The draw over indices and one byte buffer (`PopulationLines`) against the first version,
/// kept here as the oracle: strings per line, arrays per hash, the subjects sorted by value.
/// Same seed and population → the same strata, lines, digest, selection and inspectors, on a
/// population with legacy 15-character numbers, several regions and a shuffled input.
final class InspectionDrawOracleTests: XCTestCase {
    func testSameDrawAsTheFirstVersion() throws {
        var rng = SplitMix(seed: 20261203)
        let regions = ["510104", "510105", "510107", "510112"]
        var population: [InspectionSubject] = []
        for i in 0..<3_000 {
            let region = regions[Int(rng.next() % 4)]
            let digits = String(i)
            let uscc = i % 17 == 0
                ? region + String(repeating: "0", count: 9 - digits.count) + digits   // a legacy registration number
                : "92" + region + String(repeating: "0", count: 10 - digits.count) + digits
            let classes = [[], ["A"], ["B"], ["C", "A"], ["D"], ["A", "B"]][Int(rng.next() % 6)]
            population.append(InspectionSubject(uscc: uscc, name: "企业\(i)", member: rng.next() % 3 == 0, classes: classes))
        }
        population.shuffle(using: &rng)
        let inspectors = regions.flatMap { r in (1...3).map { Inspector(id: "\(r)-\($0)", name: "检查员", regions: [r]) } }
            + [Inspector(id: "city", name: "市局", regions: [])]
        let ratios = ["sandbox": 200, "A": 500, "B": 1500, "C": 3000, "D": 5000]
        for seed in ["2026-07-01 福彩 123", "s2"] {
            let now = try InspectionDraw.run(seed: seed, population: population, ratioBasisPoints: ratios,
                                             inspectorsPerSubject: 2, inspectors: inspectors, remoteStrata: ["sandbox"])
            let then = try FirstDraw.run(seed: seed, population: population, ratioBasisPoints: ratios,
                                         inspectorsPerSubject: 2, inspectors: inspectors, remoteStrata: ["sandbox"])
            // Part by part, so a failure says which part (the whole result is megabytes of text).
            XCTAssertEqual(now.populationDigest, then.populationDigest, seed)
            XCTAssertEqual(now.strata, then.strata, seed)
            XCTAssertEqual(now.drawn.map(\.uscc), then.drawn.map(\.uscc), seed)
            XCTAssertEqual(now.drawn.map(\.inspectors), then.drawn.map(\.inspectors), seed)
            XCTAssertTrue(now == then, "\(seed): the whole result")
            XCTAssertEqual(now.populationCount, 3_000)
            XCTAssertGreaterThan(now.drawn.count, 300)
        }
        var twice = population
        twice.append(population[1234])
        XCTAssertThrowsError(try InspectionDraw.run(seed: "s", population: twice, ratioBasisPoints: ratios,
                                                    inspectorsPerSubject: 2, inspectors: inspectors)) { error in
            XCTAssertEqual(error as? InspectionDrawError, .duplicateSubject(uscc: population[1234].uscc))
        }
    }
}


/// The draw as first written (until 2026-12-03), the oracle.
enum FirstDraw {
    static func run(seed: String, population: [InspectionSubject], ratioBasisPoints: [String: Int],
                    inspectorsPerSubject: Int, inspectors: [Inspector],
                    remoteStrata: Set<String> = []) throws(InspectionDrawError) -> InspectionDrawResult {
        var counts: [InspectionDrawResult.Stratum] = []
        var chosen: [(subject: InspectionSubject, hash: [UInt8])] = []
        var byStratum: [String: [InspectionSubject]] = [:]
        for s in population { byStratum[s.stratum, default: []].append(s) }
        for stratum in InspectionDraw.strata {
            let members = byStratum[stratum] ?? []
            let ratio = max(0, ratioBasisPoints[stratum] ?? 0)
            let k = InspectionDraw.sampleSize(n: members.count, basisPoints: ratio)
            counts.append(.init(name: stratum, n: members.count, ratioBasisPoints: ratio, k: k))
            let ranked = members.map { ($0, InspectionDraw.hash(InspectionDraw.drawDomain, seed, stratum, $0.uscc)) }
                .sorted(by: InspectionDraw.precedes)
            chosen += ranked.prefix(k).map { (subject: $0.0, hash: $0.1) }
        }
        let assigned = try assign(chosen, seed: seed, perSubject: inspectorsPerSubject, inspectors: inspectors)
        let lines = population.map { "\($0.uscc),\($0.stratum)\n" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let drawn = chosen.map { c in
            InspectionDrawResult.Drawn(uscc: c.subject.uscc, name: c.subject.name, stratum: c.subject.stratum,
                                       creditClass: c.subject.worstClass, hash: PureSHA256.hex(c.hash),
                                       inspectors: assigned[c.subject.uscc] ?? [],
                                       mode: remoteStrata.contains(c.subject.stratum) ? "remote" : "on_site")
        }
        return InspectionDrawResult(seed: seed, populationDigest: PureSHA256.hexDigest(lines.joined().utf8),
                                    population: lines.joined(), populationCount: lines.count, strata: counts,
                                    unclassified: population.filter { !$0.member && $0.worstClass == nil }.count,
                                    drawn: drawn)
    }

    static func assign(_ chosen: [(subject: InspectionSubject, hash: [UInt8])], seed: String, perSubject: Int,
                       inspectors: [Inspector]) throws(InspectionDrawError) -> [String: [String]] {
        let order = chosen.sorted { InspectionDraw.precedes(($0.subject, $0.hash), ($1.subject, $1.hash)) }
        var groups: [[String]: Int] = [:]   // eligible ids (sorted) → subjects K_E
        var eligibleOf: [String: [Inspector]] = [:]
        for (subject, _) in order {
            let eligible = inspectors.filter { $0.covers(region: subject.region) }
            guard eligible.count >= perSubject else {
                throw .tooFewInspectors(region: subject.region, uscc: subject.uscc, eligible: eligible.count, needed: perSubject)
            }
            eligibleOf[subject.uscc] = eligible
            groups[eligible.map(\.id).sorted(), default: 0] += 1
        }
        var loads: [[String]: [String: Int]] = [:]
        var result: [String: [String]] = [:]
        for (subject, _) in order {
            let eligible = eligibleOf[subject.uscc] ?? []
            let group = eligible.map(\.id).sorted()
            let cap = (groups[group, default: 0] * perSubject + eligible.count - 1) / eligible.count
            let ranked = eligible.map { ($0.id, InspectionDraw.hash(InspectionDraw.assignDomain, seed, subject.uscc, $0.id)) }
                .sorted { $0.1.lexicographicallyPrecedes($1.1) || ($0.1 == $1.1 && $0.0 < $1.0) }
            var load = loads[group, default: [:]]
            var picked = ranked.filter { load[$0.0, default: 0] < cap }.prefix(perSubject).map(\.0)
            if picked.count < perSubject {
                let rest = ranked.filter { !picked.contains($0.0) }
                    .enumerated().sorted { (load[$0.element.0, default: 0], $0.offset) < (load[$1.element.0, default: 0], $1.offset) }
                picked += rest.prefix(perSubject - picked.count).map(\.element.0)
            }
            for id in picked { load[id, default: 0] += 1 }
            loads[group] = load
            result[subject.uscc] = picked
        }
        return result
    }
}
