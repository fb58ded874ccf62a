import SandboxCore

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
        // A city draw is 300,000 subjects: everything below works on indices and one buffer of
        // bytes, each subject's stratum worked out once, each hash four words (no array, no
        // string per subject), and only the drawn subjects become values (3 s of a 5 s city
        // preview went to the copies, strings and arrays of the first version).
        let lines = PopulationLines(population)
        if let twice = lines.duplicate { throw .duplicateSubject(uscc: twice) }

        var counts: [InspectionDrawResult.Stratum] = []
        var chosen: [(index: Int, hash: [UInt8])] = []
        for (index, stratum) in strata.enumerated() {
            let members = lines.members(ofStratum: index)
            let ratio = max(0, ratioBasisPoints[stratum] ?? 0)
            let k = sampleSize(n: members.count, basisPoints: ratio)
            counts.append(.init(name: stratum, n: members.count, ratioBasisPoints: ratio, k: k))
            guard k > 0 else { continue }
            chosen += lines.smallestHashes(k, of: members, prefix: Array("\(drawDomain)\u{1F}\(seed)\u{1F}\(stratum)\u{1F}".utf8))
        }
        let assigned = try assign(chosen.map { (subject: population[$0.index], hash: $0.hash) }, seed: seed,
                                  perSubject: inspectorsPerSubject, inspectors: inspectors)
        let drawn = chosen.map { c in
            let subject = population[c.index], stratum = strata[Int(lines.stratum[c.index])]
            return InspectionDrawResult.Drawn(uscc: subject.uscc, name: subject.name, stratum: stratum,
                                              creditClass: subject.worstClass, hash: PureSHA256.hex(c.hash),
                                              inspectors: assigned[subject.uscc] ?? [],
                                              mode: remoteStrata.contains(stratum) ? "remote" : "on_site")
        }
        return InspectionDrawResult(seed: seed, populationDigest: lines.digest, population: lines.text, populationCount: population.count,
                                    strata: counts, unclassified: lines.unclassified, drawn: drawn)
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
        // The eligible inspectors and their group once per region, not once per subject.
        var ofRegion: [String: (eligible: [Inspector], group: [String])] = [:]
        var eligibleOf: [String: (eligible: [Inspector], group: [String])] = [:]
        for (subject, _) in order {
            let region = subject.region
            let found = ofRegion[region] ?? {
                let eligible = inspectors.filter { $0.covers(region: region) }
                return (eligible: eligible, group: eligible.map(\.id).sorted())
            }()
            ofRegion[region] = found
            guard found.eligible.count >= perSubject else {
                throw .tooFewInspectors(region: region, uscc: subject.uscc, eligible: found.eligible.count, needed: perSubject)
            }
            eligibleOf[subject.uscc] = found
            groups[found.group, default: 0] += 1
        }
        var loads: [[String]: [String: Int]] = [:]
        var result: [String: [String]] = [:]
        for (subject, _) in order {
            let (eligible, group) = eligibleOf[subject.uscc] ?? ([], [])
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
}
