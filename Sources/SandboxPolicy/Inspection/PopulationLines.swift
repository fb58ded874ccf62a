import SandboxCore

/// A draw's population as bytes (docs/policy.md §8 steps 1–4): each subject's `uscc,stratum\n`
/// line in one buffer, each subject's stratum worked out once, the lines sorted bytewise — the
/// published population and its digest — and a stratum's subjects ranked by their selection
/// hashes as four words each.
///
/// A city draw is 300,000 subjects. The first version made a string per line, an array per hash
/// and copies of every subject while sorting: 3 s of a 5 s city preview at 469,000 merchants.
struct PopulationLines {
    /// Each subject's stratum, an index into `InspectionDraw.strata`, in the input's order.
    let stratum: [UInt8]
    /// The sorted lines joined: the population as published.
    let text: String
    /// SHA-256 of `text`, lowercase hex.
    let digest: String
    /// The smallest USCC given more than once; nil when each is given once.
    let duplicate: String?
    /// Subjects never classified (in `B`, counted apart).
    let unclassified: Int
    /// The lines in the input's order; line i is `bytes[starts[i] ..< starts[i + 1]]`, its
    /// USCC `bytes[starts[i] ..< usccEnds[i]]`.
    private let bytes: [UInt8]
    private let starts: [Int]
    private let usccEnds: [Int]

    init(_ population: [InspectionSubject]) {
        var stratum: [UInt8] = [], bytes: [UInt8] = [], starts: [Int] = [0], usccEnds: [Int] = []
        stratum.reserveCapacity(population.count); starts.reserveCapacity(population.count + 1)
        usccEnds.reserveCapacity(population.count); bytes.reserveCapacity(population.count * 24)
        let names = InspectionDraw.strata.map { Array($0.utf8) }
        var unclassified = 0
        for subject in population {
            if !subject.member && subject.worstClass == nil { unclassified += 1 }
            let index = InspectionDraw.strata.firstIndex(of: subject.stratum) ?? 2
            stratum.append(UInt8(index))
            bytes.append(contentsOf: subject.uscc.utf8)
            usccEnds.append(bytes.count)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: names[index])
            bytes.append(UInt8(ascii: "\n"))
            starts.append(bytes.count)
        }
        self.stratum = stratum; self.bytes = bytes; self.starts = starts; self.usccEnds = usccEnds
        self.unclassified = unclassified

        var sorted: [UInt8] = []
        sorted.reserveCapacity(bytes.count)
        var duplicate: String?
        bytes.withUnsafeBufferPointer { b in
            // Sorted by the lines' first 24 bytes as three big-endian words (zero past a line's
            // end: a prefix first, as bytewise), the rest compared only where those tie — an
            // 18-character USCC's line differs from every other in them but for its stratum.
            var keyed: [(UInt64, UInt64, UInt64, Int)] = []
            keyed.reserveCapacity(population.count)
            for i in 0..<population.count {
                var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
                let from = starts[i], to = starts[i + 1]
                for n in 0..<24 where from + n < to {
                    let byte = UInt64(b[from + n]) << UInt64(56 - 8 * (n % 8))
                    switch n / 8 { case 0: words.0 |= byte; case 1: words.1 |= byte; default: words.2 |= byte }
                }
                keyed.append((words.0, words.1, words.2, i))
            }
            starts.withUnsafeBufferPointer { at in
                keyed.sort { x, y in
                    (x.0, x.1, x.2) != (y.0, y.1, y.2) ? (x.0, x.1, x.2) < (y.0, y.1, y.2)
                        : Self.precedes(b, at[x.3], at[x.3 + 1], b, at[y.3], at[y.3 + 1])
                }
            }
            // The lines of one USCC are neighbours once sorted (they share the prefix "uscc,").
            for (n, (_, _, _, i)) in keyed.enumerated() {
                if duplicate == nil, n > 0 {
                    let j = keyed[n - 1].3
                    if b[starts[i]..<usccEnds[i]].elementsEqual(b[starts[j]..<usccEnds[j]]) {
                        duplicate = String(decoding: b[starts[i]..<usccEnds[i]], as: UTF8.self)
                    }
                }
                sorted.append(contentsOf: b[starts[i]..<starts[i + 1]])
            }
        }
        self.duplicate = duplicate
        self.digest = PureSHA256.hexDigest(sorted)
        self.text = String(decoding: sorted, as: UTF8.self)
    }

    /// The subjects (indices in the input's order) of stratum `index`.
    func members(ofStratum index: Int) -> [Int] {
        stratum.indices.filter { stratum[$0] == UInt8(index) }
    }

    /// The `k` members with the smallest SHA-256 of `prefix` + USCC, ascending (equal hashes by
    /// USCC), each with its hash.
    func smallestHashes(_ k: Int, of members: [Int], prefix: [UInt8]) -> [(index: Int, hash: [UInt8])] {
        typealias Ranked = (hash: (UInt64, UInt64, UInt64, UInt64), index: Int)
        var ranked: [Ranked] = []
        ranked.reserveCapacity(members.count)
        var message = prefix
        bytes.withUnsafeBufferPointer { b in
            for i in members {
                message.removeLast(message.count - prefix.count)
                message.append(contentsOf: b[starts[i]..<usccEnds[i]])
                ranked.append((hash: message.withUnsafeBufferPointer { PureSHA256.digest($0) }, index: i))
            }
            ranked.sort { x, y in
                x.hash != y.hash ? x.hash < y.hash
                    : Self.precedes(b, starts[x.index], usccEnds[x.index], b, starts[y.index], usccEnds[y.index])
            }
        }
        return ranked.prefix(k).map { (index: $0.index, hash: PureSHA256.bytes(of: $0.hash)) }
    }

    /// Bytewise order of `a[aFrom..<aTo]` and `b[bFrom..<bTo]`, a prefix first.
    static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ aFrom: Int, _ aTo: Int,
                         _ b: UnsafeBufferPointer<UInt8>, _ bFrom: Int, _ bTo: Int) -> Bool {
        let n = min(aTo - aFrom, bTo - bFrom)
        var i = 0
        while i < n {
            let x = a[aFrom + i], y = b[bFrom + i]
            if x != y { return x < y }
            i += 1
        }
        return aTo - aFrom < bTo - bFrom
    }
}
