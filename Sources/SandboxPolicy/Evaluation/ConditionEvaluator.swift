import SandboxCore

/// Runs a typed condition over a whole population at once (docs/policy.md §13.1): each node is
/// one tight loop over columns, booleans are Kleene bit sets (known, true) — never a tree walk
/// per merchant. Constants stay scalars until an operation needs a column.
public struct ConditionEvaluator {
    let facts: PolicyFacts
    /// Inside count(): the element table being filtered (rows = elements).
    let elements: ElementTable?
    let rows: Int

    public init(facts: PolicyFacts) {
        self.facts = facts; self.elements = nil; self.rows = facts.rows
    }

    init(facts: PolicyFacts, elementTable: ElementTable) {
        self.facts = facts; self.elements = elementTable; self.rows = elementTable.count
    }

    /// The truth of a bool condition per row: `value` ⊆ `known`.
    public func truth(_ condition: TypedCondition) -> (known: Bits, value: Bits) {
        guard case .bool(let k, let v) = column(condition, type: .bool) else { fatalError("checked as bool") }
        return (k, v)
    }

    /// A number condition per row (hundredths) with its known bits.
    public func numbers(_ condition: TypedCondition) -> (values: [Int64], known: Bits) {
        guard case .number(let v, let k) = column(condition, type: .number) else { fatalError("checked as number") }
        return (v, k)
    }

    // MARK: - Values

    enum Value {
        case scalar(TypedCondition.Constant?)   // nil: unknown
        case column(FactColumn)
    }

    func column(_ node: TypedCondition, type: ValueType) -> FactColumn {
        materialize(eval(node), type: type)
    }

    func materialize(_ value: Value, type: ValueType) -> FactColumn {
        switch value {
        case .column(let c): return c
        case .scalar(let constant):
            let known = Bits(count: rows, filled: constant != nil)
            switch (constant, type) {
            case (.bool(let b)?, _): return .bool(known: known, value: Bits(count: rows, filled: b))
            case (.number(let n)?, _): return .number([Int64](repeating: n, count: rows), known: known)
            case (.date(let d)?, _): return .date([Int32](repeating: Int32(d.dayNumber), count: rows), known: known)
            case (.coded(let c)?, _): return .coded([UInt8](repeating: c, count: rows))
            case (.text(let t)?, _): return .text(TextColumn(repeating: t, count: rows))
            case (nil, .bool): return .bool(known: known, value: known)
            case (nil, .number): return .number([Int64](repeating: 0, count: rows), known: known)
            case (nil, .date): return .date([Int32](repeating: 0, count: rows), known: known)
            case (nil, .coded): return .coded([UInt8](repeating: FactColumn.unknownCode, count: rows))
            case (nil, _): return .text(TextColumn(repeating: nil, count: rows))
            }
        }
    }

    func eval(_ node: TypedCondition) -> Value {
        switch node {
        case .constant(let c): return .scalar(c)
        case .today: return .scalar(.date(facts.today))
        case .field(let f):
            guard let c = facts.columns[f] else { return .scalar(nil) }
            return .column(c)
        case .element(let f):
            guard let c = elements?.columns[f] else { return .scalar(nil) }
            return .column(c)
        case .not(let a):
            let (k, v) = truth(a)
            return .column(.bool(known: k, value: k.subtracting(v)))
        case .and(let a, let b):
            let (ka, va) = truth(a), (kb, vb) = truth(b)
            let known = (ka & kb) | ka.subtracting(va) | kb.subtracting(vb)
            return .column(.bool(known: known, value: va & vb))
        case .or(let a, let b):
            let (ka, va) = truth(a), (kb, vb) = truth(b)
            return .column(.bool(known: (ka & kb) | va | vb, value: va | vb))
        case .compare(let op, let a, let b): return compare(op, a, b)
        case .member(let a, let list, let negated): return member(a, list, negated: negated)
        case .present(let a, let wanted):
            let known = materialize(eval(a), type: Self.type(of: a)).known
            return .column(.bool(known: Bits(count: rows, filled: true), value: wanted ? known : known.inverted))
        case .coalesce(let a, let b): return coalesce(a, b)
        case .arithmetic(let subtract, let a, let b): return arithmetic(subtract: subtract, a, b)
        case .shift(let a, let days, let months): return shift(a, days: days, months: months)
        case .findings(let codes):
            let mask = codes.reduce(UInt32(0)) { $0 | (1 << UInt32($1)) }
            let all = Bits(count: rows, filled: true)
            let value = facts.findings.withUnsafeBufferPointer { f in Self.rows(rows, within: all) { f[$0] & mask != 0 } }
            return .column(.bool(known: all, value: value))
        case .extreme(let isMax, let a, let b):
            let (va, ka) = numbers(a), (vb, kb) = numbers(b)
            var out = [Int64](repeating: 0, count: rows)
            for i in 0..<rows {
                switch (ka[i], kb[i]) {
                case (true, true): out[i] = isMax ? max(va[i], vb[i]) : min(va[i], vb[i])
                case (true, false): out[i] = va[i]
                case (false, true): out[i] = vb[i]
                default: break
                }
            }
            return .column(.number(out, known: ka | kb))
        case .datePart(let part, let a):
            if case .scalar(let c) = eval(a) {
                guard case .date(let d)? = c else { return .scalar(nil) }
                return .scalar(.number(Int64(Self.part(part, d)) * 100))
            }
            guard case .date(let days, let known) = column(a, type: .date) else { fatalError() }
            var out = [Int64](repeating: 0, count: rows)
            for i in 0..<rows where known[i] { out[i] = Int64(Self.part(part, CivilDate(dayNumber: Int(days[i])))) * 100 }
            return .column(.number(out, known: known))
        case .count(let collection, let filter, let window): return count(collection, filter: filter, window: window)
        }
    }

    static func part(_ p: TypedCondition.DatePart, _ d: CivilDate) -> Int {
        switch p { case .year: d.year; case .month: d.month; case .day: d.day }
    }

    /// The static type of a typed node (what the checker decided), for materializing scalars.
    static func type(of node: TypedCondition) -> ValueType {
        switch node {
        case .constant(.bool), .not, .and, .or, .compare, .member, .present, .findings: .bool
        case .constant(.number), .arithmetic, .extreme, .datePart, .count: .number
        case .constant(.date), .today, .shift: .date
        case .constant(.text): .text
        case .constant(.coded): .coded(.status)   // the kind does not matter for storage
        case .field(let f): f.type
        case .element(let f): f.type
        case .coalesce(let a, _): type(of: a)
        }
    }

    // MARK: - Operations

    private func compare(_ op: TypedCondition.CompareOperator, _ a: TypedCondition, _ b: TypedCondition) -> Value {
        let type = Self.type(of: a)
        let left = eval(a), right = eval(b)
        if case .scalar(let x) = left, case .scalar(let y) = right {
            guard let x, let y else { return .scalar(nil) }
            return .scalar(.bool(Self.compareConstants(op, x, y)))
        }
        // A column against a constant: the constant is not spread into a column of its own.
        if case .column(let c) = left, case .scalar(let k) = right, let v = compare(op, c, k) { return v }
        if case .scalar(let k) = left, case .column(let c) = right, let v = compare(op.mirrored, c, k) { return v }
        func test<T: Comparable>(_ l: T, _ r: T) -> Bool {
            switch op { case .eq: l == r; case .ne: l != r; case .lt: l < r; case .le: l <= r; case .gt: l > r; case .ge: l >= r }
        }
        let ca = materialize(left, type: type), cb = materialize(right, type: type)
        var value = Bits(count: rows)
        let known: Bits
        switch (ca, cb) {
        case (.number(let x, let kx), .number(let y, let ky)):
            known = kx & ky
            value = x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in Self.holding(op, x, within: known) { y[$0] } } }
        case (.date(let x, let kx), .date(let y, let ky)):
            known = kx & ky
            value = x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in Self.holding(op, x, within: known) { y[$0] } } }
        case (.coded(let x), .coded(let y)):
            let unknown = FactColumn.unknownCode
            (known, value) = x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    let k = Self.rows(rows, within: Bits(count: rows, filled: true)) { x[$0] != unknown && y[$0] != unknown }
                    return (k, Self.holding(op, x, within: k) { y[$0] })
                }
            }
        case (.bool(let kx, let vx), .bool(let ky, let vy)):
            known = kx & ky
            // equal where both true or both false
            let same = (vx & vy) | known.subtracting(vx).subtracting(vy)
            value = op == .eq ? same & known : known.subtracting(same)
        case (.text(let x), .text(let y)):
            var k = Bits(count: rows)
            for i in 0..<rows {
                guard let l = x[i], let r = y[i] else { continue }
                k[i] = true
                if (op == .eq) == (l == r) { value[i] = true }
            }
            known = k
        default:
            fatalError("the checker gives both sides of a comparison one type")
        }
        return .column(.bool(known: known, value: value))
    }

    /// A number or date column against a constant; nil for other types (they are spread).
    private func compare(_ op: TypedCondition.CompareOperator, _ column: FactColumn, _ constant: TypedCondition.Constant?) -> Value? {
        switch (column, constant) {
        case (.number, nil), (.date, nil):
            return .column(.bool(known: Bits(count: rows), value: Bits(count: rows)))
        case (.number(let x, let known), .number(let c)?):
            return .column(.bool(known: known, value: x.withUnsafeBufferPointer { Self.holding(op, $0, within: known) { _ in c } }))
        case (.date(let x, let known), .date(let d)?):
            let c = Int32(clamping: d.dayNumber)
            return .column(.bool(known: known, value: x.withUnsafeBufferPointer { Self.holding(op, $0, within: known) { _ in c } }))
        default:
            return nil
        }
    }

    /// The rows of `known` where `x[i] op y(i)`, the operator chosen once for the whole column.
    @inline(__always)
    static func holding<T: Comparable>(_ op: TypedCondition.CompareOperator, _ x: UnsafeBufferPointer<T>, within known: Bits,
                                       _ y: (Int) -> T) -> Bits {
        switch op {
        case .eq: rows(x.count, within: known) { x[$0] == y($0) }
        case .ne: rows(x.count, within: known) { x[$0] != y($0) }
        case .lt: rows(x.count, within: known) { x[$0] < y($0) }
        case .le: rows(x.count, within: known) { x[$0] <= y($0) }
        case .gt: rows(x.count, within: known) { x[$0] > y($0) }
        case .ge: rows(x.count, within: known) { x[$0] >= y($0) }
        }
    }

    /// The rows of `known` where `test` holds, built 64 rows to a word (a bit set one row at a
    /// time checked the array's uniqueness and bounds for every row: the compare was a fifth of
    /// a quiet day's pass). Rows outside `known` are not tested.
    @inline(__always)
    static func rows(_ count: Int, within known: Bits, _ test: (Int) -> Bool) -> Bits {
        var words = [UInt64](repeating: 0, count: (count + 63) / 64)
        known.words.withUnsafeBufferPointer { k in
            words.withUnsafeMutableBufferPointer { out in
                for w in 0..<out.count where k[w] != 0 {
                    let base = w << 6
                    var word: UInt64 = 0
                    for j in 0..<min(64, count - base) where test(base + j) { word |= 1 << UInt64(j) }
                    out[w] = word & k[w]
                }
            }
        }
        return Bits(count: count, words: words)
    }

    static func compareConstants(_ op: TypedCondition.CompareOperator, _ x: TypedCondition.Constant, _ y: TypedCondition.Constant) -> Bool {
        func test<T: Comparable>(_ l: T, _ r: T) -> Bool {
            switch op { case .eq: l == r; case .ne: l != r; case .lt: l < r; case .le: l <= r; case .gt: l > r; case .ge: l >= r }
        }
        switch (x, y) {
        case (.number(let l), .number(let r)): return test(l, r)
        case (.date(let l), .date(let r)): return test(l.dayNumber, r.dayNumber)
        case (.coded(let l), .coded(let r)): return test(l, r)
        case (.text(let l), .text(let r)): return op == .eq ? l == r : l != r
        case (.bool(let l), .bool(let r)): return op == .eq ? l == r : l != r
        default: return false
        }
    }

    private func member(_ a: TypedCondition, _ list: [TypedCondition.Constant], negated: Bool) -> Value {
        let c = column(a, type: Self.type(of: a))
        var value = Bits(count: rows)
        let known = c.known
        switch c {
        case .coded(let x):
            var set = [Bool](repeating: false, count: 256)
            for case .coded(let v) in list { set[Int(v)] = true }
            for i in 0..<rows where x[i] != FactColumn.unknownCode && set[Int(x[i])] != negated { value[i] = true }
        case .number(let x, _):
            let set = Set(list.compactMap { if case .number(let v) = $0 { v } else { nil } })
            for i in 0..<rows where known[i] && set.contains(x[i]) != negated { value[i] = true }
        case .text(let x):
            let set = Set(list.compactMap { if case .text(let v) = $0 { v } else { nil } })
            for i in 0..<rows { if let t = x[i], set.contains(t) != negated { value[i] = true } }
        default: fatalError("the checker allows `in` on coded, number and text only")
        }
        return .column(.bool(known: known, value: value))
    }

    private func coalesce(_ a: TypedCondition, _ b: TypedCondition) -> Value {
        let type = Self.type(of: a)
        let left = eval(a)
        if case .scalar(let x) = left, x != nil { return left }
        let ca = materialize(left, type: type)
        let cb = materialize(eval(b), type: type)
        switch (ca, cb) {
        case (.bool(let ka, let va), .bool(let kb, let vb)):
            let fromB = kb.subtracting(ka)
            return .column(.bool(known: ka | kb, value: va | (vb & fromB)))
        case (.number(var x, let kx), .number(let y, let ky)):
            for i in 0..<rows where !kx[i] && ky[i] { x[i] = y[i] }
            return .column(.number(x, known: kx | ky))
        case (.date(var x, let kx), .date(let y, let ky)):
            for i in 0..<rows where !kx[i] && ky[i] { x[i] = y[i] }
            return .column(.date(x, known: kx | ky))
        case (.coded(var x), .coded(let y)):
            for i in 0..<rows where x[i] == FactColumn.unknownCode { x[i] = y[i] }
            return .column(.coded(x))
        case (.text(let x), .text(let y)):
            return .column(.text(TextColumn((0..<rows).lazy.map { x[$0] ?? y[$0] })))
        default: fatalError("?? sides share a type")
        }
    }

    private func arithmetic(subtract: Bool, _ a: TypedCondition, _ b: TypedCondition) -> Value {
        let left = eval(a), right = eval(b)
        if case .scalar(let x) = left, case .scalar(let y) = right {
            guard case .number(let l)? = x, case .number(let r)? = y else { return .scalar(nil) }
            let (v, o) = subtract ? l.subtractingReportingOverflow(r) : l.addingReportingOverflow(r)
            return .scalar(o ? nil : .number(v))
        }
        guard case .number(let x, let kx) = materialize(left, type: .number),
              case .number(let y, let ky) = materialize(right, type: .number) else { fatalError() }
        var known = kx & ky
        var out = [Int64](repeating: 0, count: rows)
        for i in 0..<rows where known[i] {
            let (v, o) = subtract ? x[i].subtractingReportingOverflow(y[i]) : x[i].addingReportingOverflow(y[i])
            if o { known[i] = false } else { out[i] = v }
        }
        return .column(.number(out, known: known))
    }

    private func shift(_ a: TypedCondition, days: Int, months: Int) -> Value {
        func moved(_ d: CivilDate) -> CivilDate { d.adding(months: months).adding(days: days) }
        let v = eval(a)
        if case .scalar(let c) = v {
            guard case .date(let d)? = c else { return .scalar(nil) }
            return .scalar(.date(moved(d)))
        }
        guard case .date(var x, let known) = materialize(v, type: .date) else { fatalError() }
        if months == 0 {
            for i in 0..<rows where known[i] { x[i] += Int32(days) }
        } else {
            // Each distinct day is moved once: a column of 469,000 dates holds a few thousand days,
            // and the calendar arithmetic per row was a tenth of a quiet day's pass.
            var done: [Int32: Int32] = [:]
            for i in 0..<rows where known[i] {
                let day = x[i]
                if let m = done[day] { x[i] = m; continue }
                let m = Int32(moved(CivilDate(dayNumber: Int(day))).dayNumber)
                done[day] = m
                x[i] = m
            }
        }
        return .column(.date(x, known: known))
    }

    private func count(_ collection: ElementCollection, filter: TypedCondition?,
                       window: TypedCondition.CountWindow) -> Value {
        let table = collection == .events ? facts.events : facts.licences
        let inner = ConditionEvaluator(facts: facts, elementTable: table)
        let selected: Bits = filter.map { inner.truth($0).value } ?? Bits(count: table.count, filled: true)
        var counts = [Int64](repeating: 0, count: rows)
        let today = Int32(facts.today.dayNumber)
        var days: [Int32] = []
        if case .date(let d, _)? = table.columns[.occurredAt] { days = d }
        var starts: [Int32]? = nil   // inclusive first day per row
        var start = Int32.min
        switch window {
        case .all: break
        case .within(let d, let m):
            start = Int32(facts.today.adding(months: -m).adding(days: -d).dayNumber) + 1
        case .since(let node):
            guard case .date(let s, let k) = column(node, type: .date) else { fatalError() }
            starts = (0..<rows).map { k[$0] ? s[$0] : Int32.max }
        }
        // Events dated after today are not counted until their day comes, whatever the window.
        let timed = collection == .events && !days.isEmpty
        for r in 0..<rows {
            let first = starts?[r] ?? start
            var n: Int64 = 0
            for e in Int(table.offsets[r])..<Int(table.offsets[r + 1]) where selected[e] {
                if timed, days[e] < first || days[e] > today { continue }
                n += 1
            }
            counts[r] = n * 100
        }
        return .column(.number(counts, known: Bits(count: rows, filled: true)))
    }
}
