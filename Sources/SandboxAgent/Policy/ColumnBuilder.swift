import SandboxCore
import SandboxPolicy
import SandboxStorage

/// Appends one SQLite column, row by row, into a typed fact column (docs/policy.md §13.1): dates
/// parsed from their ten bytes, coded values decided from the raw bytes, no optionals.
struct ColumnBuilder {
    enum Kind { case text, presence, coded(CodedKind), bool, number(scale: Int64), date }
    let field: ConditionField
    let kind: Kind
    private var texts = TextColumn()
    private var codes: [UInt8] = []
    private var numbers: [Int64] = []
    private var days: [Int32] = []
    private var known: [Bool] = []
    private var flags: [Bool] = []
    private var codeLookup = CodeLookup(names: [])

    /// `rows`: how many rows to make room for at once (an estimate; more still fit).
    init(_ field: ConditionField, _ kind: Kind, rows: Int = 0) {
        self.field = field; self.kind = kind
        if case .coded(let k) = kind { codeLookup = CodeLookup(names: k.values.map { $0[0] }) }
        switch kind {
        case .text: texts.reserveCapacity(rows: rows, bytes: 0)
        case .presence: known.reserveCapacity(rows)
        case .coded: codes.reserveCapacity(rows)
        case .bool: known.reserveCapacity(rows); flags.reserveCapacity(rows)
        case .number: known.reserveCapacity(rows); numbers.reserveCapacity(rows)
        case .date: known.reserveCapacity(rows); days.reserveCapacity(rows)
        }
    }

    mutating func append(_ s: Statement, _ column: Int32) {
        switch kind {
        case .text: s.withText(column) { texts.append(bytes: $0) }
        case .presence: known.append(!s.isNull(column))
        case .coded:
            codes.append(s.withText(column) { codeLookup.code($0) } ?? FactColumn.unknownCode)
        case .bool:
            let null = s.isNull(column)
            known.append(!null); flags.append(!null && s.int64(column) != 0)
        case .number(let scale):
            let null = s.isNull(column)
            known.append(!null); numbers.append(null ? 0 : s.int64(column) &* scale)
        case .date:
            let d = s.withText(column) { t -> Int32? in t.flatMap(Self.day) }
            known.append(d != nil); days.append(d ?? 0)
        }
    }

    /// `YYYY-MM-DD` → day number, without making a String.
    static func day(_ t: UnsafeBufferPointer<UInt8>) -> Int32? {
        CivilDate(isoBytes: t).map { Int32($0.dayNumber) }
    }

    static func bits(_ flags: [Bool]) -> Bits {
        var b = Bits(count: flags.count)
        for (i, f) in flags.enumerated() where f { b[i] = true }
        return b
    }

    func column() -> FactColumn {
        switch kind {
        case .text: .text(texts)
        case .presence: .presence(Self.bits(known))
        case .coded: .coded(codes)
        case .bool: .bool(known: Self.bits(known), value: Self.bits(flags))
        case .number: .number(numbers, known: Self.bits(known))
        case .date: .date(days, known: Self.bits(known))
        }
    }

    /// Gathers a column read in another order (registry rows) onto merchant rows.
    static func regather(_ c: FactColumn, rows: [Int], missing: Int = -1) -> FactColumn {
        // rows[i] = index into c for merchant i, or -1 when the merchant has no entry.
        func bits(_ b: Bits) -> Bits {
            var out = Bits(count: rows.count)
            for (i, r) in rows.enumerated() where r >= 0 && b[r] { out[i] = true }
            return out
        }
        switch c {
        case .text(let v): return .text(v.gathered(rows))
        case .coded(let v): return .coded(rows.map { $0 >= 0 ? v[$0] : FactColumn.unknownCode })
        case .bool(let k, let v): return .bool(known: bits(k), value: bits(v))
        case .number(let v, let k): return .number(rows.map { $0 >= 0 ? v[$0] : 0 }, known: bits(k))
        case .date(let v, let k): return .date(rows.map { $0 >= 0 ? v[$0] : 0 }, known: bits(k))
        case .presence(let k): return .presence(bits(k))
        }
    }
}
