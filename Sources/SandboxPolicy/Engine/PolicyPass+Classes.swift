/// Stage 1: indicators → points → class, raised by floors (docs/policy.md §4). The explanation is
/// made only for merchants whose decision changed, and handed over block by block.
extension PolicyPass {
    mutating func classify() {
        let rows = facts.rows
        let evaluator = ConditionEvaluator(facts: facts)
        var points = [Int32](repeating: 0, count: rows)
        var floors = [UInt8](repeating: 0, count: rows)
        var hashes = [UInt64](repeating: 0xcbf2_9ce4_8422_2325 &+ UInt64(pack.header.serial), count: rows)
        var evaluated: [IndicatorEvaluation] = []
        for (index, indicator) in pack.indicators.enumerated() {
            let salt = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
            switch indicator.rule {
            case .when(let condition, let p):
                let (k, v) = evaluator.truth(condition)
                for r in v.indexes {
                    points[r] += Int32(p)
                    hashes[r] = (hashes[r] ^ salt) &* 0x100_0000_01b3
                    if let f = indicator.floor { floors[r] = max(floors[r], f.code + 1) }
                }
                evaluated.append(IndicatorEvaluation(known: k, value: v, numbers: nil, bandIndex: nil, reads: Reads(condition)))
            case .value(let condition, let bands):
                let (values, k) = evaluator.numbers(condition)
                var bandIndex = [Int8](repeating: -1, count: rows)
                for r in 0..<rows where k[r] {
                    var b = -1
                    for (i, band) in bands.enumerated() where values[r] >= band.from { b = i }
                    guard b >= 0 else { continue }
                    bandIndex[r] = Int8(b)
                    let p = bands[b].points
                    points[r] += Int32(p)
                    hashes[r] = (hashes[r] ^ (salt &+ UInt64(b))) &* 0x100_0000_01b3
                    if p > 0, let f = indicator.floor { floors[r] = max(floors[r], f.code + 1) }
                }
                evaluated.append(IndicatorEvaluation(known: k, value: nil, numbers: values, bandIndex: bandIndex,
                                                     reads: Reads(condition)))
            }
        }
        var classCodes = [UInt8](repeating: 0, count: rows)
        var pointColumn = [Int64](repeating: 0, count: rows)
        for r in 0..<rows {
            defer { endOfRow(r) }
            var c = UInt8(pack.classes.count - 1)
            for (i, cls) in pack.classes.enumerated() {
                if let m = cls.maxPoints, Int(points[r]) <= m { c = UInt8(i); break }
            }
            if floors[r] > 0 { c = max(c, floors[r] - 1) }
            classCodes[r] = c
            pointColumn[r] = Int64(points[r]) * 100
            let hash = (hashes[r] ^ UInt64(c)) &* 0x100_0000_01b3
            var state = states[r]
            guard hash != state.decisionHash else { continue }
            let riskClass = RiskClass(code: c)!
            var decision = explain(row: r, riskClass: riskClass, points: Int(points[r]), previous: state.riskClass,
                                   hash: hash, evaluated: evaluated)
            if state.riskClass != riskClass { state.classSince = today }
            decision.classSince = state.classSince
            outcome.classDecisions.append(decision)
            state.riskClass = riskClass
            state.points = Int(points[r])
            state.decisionHash = hash
            setState(r, state)
        }
        facts.columns[.riskClass] = .coded(classCodes)
        facts.columns[.riskPoints] = .number(pointColumn, known: Bits(count: rows, filled: true))
    }

    /// One indicator's columns over every row: whether it is known, and its truth (a `when`) or its
    /// value and band (a `value`).
    struct IndicatorEvaluation {
        var known: Bits
        var value: Bits?
        var numbers: [Int64]?
        var bandIndex: [Int8]?
        /// What its condition reads, for the explanations.
        var reads: Reads
    }

    /// The fields a condition reads, in their names' order, and the finding codes it tests: found
    /// once a pass. Walked out of the condition for each explanation (a set of fields made, then
    /// sorted by name), they were a ninth of the engine thread's instructions in a first pass
    /// (issue 16, session 40).
    struct Reads {
        let fields: [ConditionField]
        let findingCodes: [String]

        init(_ condition: TypedCondition) {
            fields = condition.fields.sorted(by: { $0.rawValue < $1.rawValue })
            findingCodes = condition.findingCodes
        }
    }

    /// `evaluated` is taken as classify made it: a tuple array mapped from it for each changed
    /// merchant retained and released four columns per indicator, a sixth of the engine thread's
    /// instructions in a first pass (issue 16, session 38).
    func explain(row r: Int, riskClass: RiskClass, points: Int, previous: RiskClass?, hash: UInt64,
                 evaluated: [IndicatorEvaluation]) -> ClassDecision {
        var contributions: [ClassDecision.Contribution] = []
        var floorsHit: [(id: String, floor: RiskClass)] = []
        var unknown: [(id: String, missing: [String])] = []
        for i in pack.indicators.indices {
            // Most indicators of most merchants are known and give nothing (false, or below every
            // band): passed over before the indicator is copied out of the pack.
            if evaluated[i].known[r], evaluated[i].value?[r] == false || (evaluated[i].bandIndex?[r] ?? 0) < 0 { continue }
            let indicator = pack.indicators[i]
            switch indicator.rule {
            case .when(_, let p):
                if !evaluated[i].known[r] {
                    unknown.append((indicator.id, missingFields(evaluated[i].reads, row: r)))
                } else if evaluated[i].value![r], p > 0 {
                    contributions.append(.init(id: indicator.id, family: indicator.family, title: indicator.title,
                                               values: fieldValues(evaluated[i].reads, row: r), bandFrom: nil, points: p))
                    if let f = indicator.floor { floorsHit.append((indicator.id, f)) }
                }
            case .value(_, let bandList):
                if !evaluated[i].known[r] {
                    unknown.append((indicator.id, missingFields(evaluated[i].reads, row: r)))
                } else if let b = evaluated[i].bandIndex?[r], b >= 0, bandList[Int(b)].points > 0 {
                    contributions.append(.init(id: indicator.id, family: indicator.family, title: indicator.title,
                                               values: [("value", ConditionNumber.text(evaluated[i].numbers![r]))],
                                               bandFrom: ConditionNumber.text(bandList[Int(b)].from), points: bandList[Int(b)].points))
                    if let f = indicator.floor { floorsHit.append((indicator.id, f)) }
                }
            }
        }
        return ClassDecision(row: r, merchantID: merchantID(r), riskClass: riskClass,
                             className: pack.classes[Int(riskClass.code)].name, points: points, previousClass: previous,
                             contributions: contributions, floors: floorsHit, unknown: unknown, decisionHash: hash)
    }

    /// The fields a condition reads with this row's values, and the finding codes it has among
    /// those the condition tests.
    func fieldValues(_ reads: Reads, row r: Int) -> [(String, String)] {
        var out: [(String, String)] = []
        for f in reads.fields {
            if let v = facts.columns[f]?.describe(row: r, type: f.type) { out.append((f.rawValue, v)) }
        }
        let found = facts.findings[r]
        let codes = FindingMask.held(reads.findingCodes, in: found)
        if !codes.isEmpty { out.append(("findings", codes.joined(separator: ","))) }
        return out
    }

    /// Loops, not closures: a closure here captured the whole pass (a copy of its every field, retained
    /// and released) for each indicator of each merchant, 2 % of a first pass (issue 16).
    func missingFields(_ reads: Reads, row r: Int) -> [String] {
        var missing: [String] = []
        for f in reads.fields where facts.columns[f]?.isDescribed(row: r, type: f.type) != true { missing.append(f.rawValue) }
        return missing
    }
}
