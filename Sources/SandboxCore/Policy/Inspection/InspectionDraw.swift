/// 差异化“双随机”抽查: the draw of docs/policy.md §8, pure and reproducible.
///
/// Everything follows from the seed and the population: no clock, no random source, no input
/// order (subjects are sorted by hash, ties by USCC). Anyone with the published population list
/// and the seed can redo the selection with `sha256sum` (docs/regulator.md shows how).
public enum InspectionDraw {
    public static let strata = ["sandbox", "A", "B", "C", "D"]
    static let drawDomain = "credit-sandbox/draw/v1"
    static let assignDomain = "credit-sandbox/assign/v1"

    public static func run(seed: String, population: [InspectionSubject], ratioBasisPoints: [String: Int],
                           inspectorsPerSubject: Int, inspectors: [Inspector],
                           remoteStrata: Set<String> = []) throws(InspectionDrawError) -> InspectionDrawResult {
        guard !seed.isEmpty else { throw .emptySeed }
        guard inspectorsPerSubject >= 1 else { throw .badInspectorsPerSubject(inspectorsPerSubject) }
        var seen = Set<String>()
        for s in population where !seen.insert(s.uscc).inserted { throw .duplicateSubject(uscc: s.uscc) }

        var counts: [InspectionDrawResult.Stratum] = []
        var chosen: [(subject: InspectionSubject, hash: [UInt8])] = []
        // Each subject's stratum once (it is worked out from its classes), not once per stratum.
        var byStratum: [String: [InspectionSubject]] = [:]
        for s in population { byStratum[s.stratum, default: []].append(s) }
        for stratum in strata {
            let members = byStratum[stratum] ?? []
            let ratio = max(0, ratioBasisPoints[stratum] ?? 0)
            let k = sampleSize(n: members.count, basisPoints: ratio)
            counts.append(.init(name: stratum, n: members.count, ratioBasisPoints: ratio, k: k))
            let ranked = members.map { ($0, hash(drawDomain, seed, stratum, $0.uscc)) }.sorted(by: precedes)
            chosen += ranked.prefix(k).map { (subject: $0.0, hash: $0.1) }
        }
        let assigned = try assign(chosen, seed: seed, perSubject: inspectorsPerSubject, inspectors: inspectors)
        let lines = population.map { "\($0.uscc),\($0.stratum)\n" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let drawn = chosen.map { c in
            InspectionDrawResult.Drawn(uscc: c.subject.uscc, name: c.subject.name, stratum: c.subject.stratum,
                                       creditClass: c.subject.worstClass, hash: hex(c.hash),
                                       inspectors: assigned[c.subject.uscc] ?? [],
                                       mode: remoteStrata.contains(c.subject.stratum) ? "remote" : "on_site")
        }
        return InspectionDrawResult(seed: seed, populationDigest: PureSHA256.hexDigest(lines.joined().utf8),
                                    populationLines: lines, strata: counts,
                                    unclassified: population.filter { !$0.member && $0.worstClass == nil }.count,
                                    drawn: drawn)
    }

    /// k = ⌈n × ratio⌉ in integers (ratio in basis points): a non-empty stratum with a ratio above
    /// zero gets at least one inspection, and no floating point can round a draw differently.
    public static func sampleSize(n: Int, basisPoints: Int) -> Int {
        guard n > 0, basisPoints > 0 else { return 0 }
        return min(n, (n * basisPoints + 9_999) / 10_000)
    }

    /// §8 step 5. Subjects in ascending hash; each takes the first inspectors (by assign hash)
    /// whose load within the subject's group is below the group's cap. The cap spreads work
    /// evenly, but a greedy pass can reach the last subjects with fewer inspectors under the cap
    /// than needed; those take the least-loaded remaining eligible ones rather than fail a draw
    /// that has enough inspectors.
    static func assign(_ chosen: [(subject: InspectionSubject, hash: [UInt8])], seed: String, perSubject: Int,
                       inspectors: [Inspector]) throws(InspectionDrawError) -> [String: [String]] {
        let order = chosen.sorted { precedes(($0.subject, $0.hash), ($1.subject, $1.hash)) }
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
            let ranked = eligible.map { ($0.id, hash(assignDomain, seed, subject.uscc, $0.id)) }
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

    /// SHA-256 of the parts joined by 0x1F (the unit separator cannot occur in a USCC or an id).
    public static func hash(_ parts: String...) -> [UInt8] {
        PureSHA256.hash(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    /// Smaller 256-bit big-endian hash first; equal hashes by USCC.
    static func precedes(_ a: (InspectionSubject, [UInt8]), _ b: (InspectionSubject, [UInt8])) -> Bool {
        a.1 == b.1 ? a.0.uscc < b.0.uscc : a.1.lexicographicallyPrecedes(b.1)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }.joined()
    }
}
