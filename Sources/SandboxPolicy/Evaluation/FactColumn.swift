import SandboxCore

/// One column of facts for a population (merchants, cases, events or licences), typed and
/// without optionals: every value column has a `known` bit set beside it (coded values use 0xFF
/// for unknown, texts nil).
public enum FactColumn: Sendable {
    case bool(known: Bits, value: Bits)
    case number([Int64], known: Bits)
    case date([Int32], known: Bits)
    case coded([UInt8])
    case text(TextColumn)
    /// Only whether a text field has a value: loaded when the pack tests it with present()/absent()
    /// and never compares it, so no string is made per row.
    case presence(Bits)

    public static let unknownCode: UInt8 = 0xFF

    public var count: Int {
        switch self {
        case .bool(let k, _): k.count
        case .number(let v, _): v.count
        case .date(let v, _): v.count
        case .coded(let v): v.count
        case .text(let v): v.count
        case .presence(let b): b.count
        }
    }

    /// Which rows have a value.
    public var known: Bits {
        switch self {
        case .bool(let k, _), .number(_, let k), .date(_, let k), .presence(let k): return k
        case .coded(let v):
            var b = Bits(count: v.count)
            for i in v.indices where v[i] != Self.unknownCode { b[i] = true }
            return b
        case .text(let v):
            var b = Bits(count: v.count)
            for i in v.indices where !v.isNil(i) { b[i] = true }
            return b
        }
    }

    /// Whether `describe` has a text for the row, without making it: a class decision asks this
    /// of every field of every indicator it could not judge (issue 16).
    public func isDescribed(row: Int, type: ValueType) -> Bool {
        switch self {
        case .bool(let k, _), .number(_, let k), .date(_, let k): return k[row]
        case .coded(let v):
            guard v[row] != Self.unknownCode, case .coded = type else { return false }
            return true
        case .text(let v): return !v.isNil(row)
        case .presence: return false
        }
    }

    /// One row's value as text for explanations and evidence (nil: unknown).
    public func describe(row: Int, type: ValueType) -> String? {
        switch self {
        case .bool(let k, let v): return k[row] ? (v[row] ? "true" : "false") : nil
        case .number(let v, let k): return k[row] ? ConditionNumber.text(v[row]) : nil
        case .date(let v, let k): return k[row] ? CivilDate(dayNumber: Int(v[row])).description : nil
        case .coded(let v):
            guard v[row] != Self.unknownCode, case .coded(let kind) = type else { return nil }
            return kind.name(of: v[row])
        case .text(let v): return v[row]
        case .presence: return nil
        }
    }

    /// Gathers rows (in the given order) into a new column: cases take their merchant's facts.
    public func gather(_ rows: [Int]) -> FactColumn {
        func bits(_ b: Bits) -> Bits {
            var out = Bits(count: rows.count)
            for (i, r) in rows.enumerated() where b[r] { out[i] = true }
            return out
        }
        switch self {
        case .bool(let k, let v): return .bool(known: bits(k), value: bits(v))
        case .number(let v, let k): return .number(rows.map { v[$0] }, known: bits(k))
        case .date(let v, let k): return .date(rows.map { v[$0] }, known: bits(k))
        case .coded(let v): return .coded(rows.map { v[$0] })
        case .text(let v): return .text(v.gathered(rows))
        case .presence(let b): return .presence(bits(b))
        }
    }
}

/// Events or licences of a population, grouped by row: the elements of row r are
/// `offsets[r] ..< offsets[r + 1]`.
public struct ElementTable: Sendable {
    public var offsets: [Int32]
    public var columns: [ElementField: FactColumn]

    public init(offsets: [Int32], columns: [ElementField: FactColumn]) {
        self.offsets = offsets; self.columns = columns
    }

    public static func empty(rows: Int) -> ElementTable {
        ElementTable(offsets: [Int32](repeating: 0, count: rows + 1), columns: [:])
    }

    public var count: Int { Int(offsets.last ?? 0) }

    /// The same elements for a gathered population (row i of the result = row rows[i] here).
    public func gather(_ rows: [Int]) -> ElementTable {
        var offsets: [Int32] = [0]
        var picks: [Int] = []
        for r in rows {
            for e in Int(self.offsets[r])..<Int(self.offsets[r + 1]) { picks.append(e) }
            offsets.append(Int32(picks.count))
        }
        return ElementTable(offsets: offsets, columns: columns.mapValues { $0.gather(picks) })
    }
}
