import SandboxCore

/// A checked expression: every node has a static type, names are resolved to fields, `$defines`
/// are expanded and literals are coded. This is what the evaluator runs (over whole columns).
public indirect enum TypedCondition: Hashable, Sendable {
    case constant(Constant)
    case today
    case field(ConditionField)
    case element(ElementField)
    case not(TypedCondition)
    case and(TypedCondition, TypedCondition)
    case or(TypedCondition, TypedCondition)
    case compare(CompareOperator, TypedCondition, TypedCondition)
    case member(TypedCondition, [Constant], negated: Bool)
    case present(TypedCondition, Bool)
    case coalesce(TypedCondition, TypedCondition)
    case arithmetic(subtract: Bool, TypedCondition, TypedCondition)
    /// date ± duration; `months` already includes years.
    case shift(TypedCondition, days: Int, months: Int)
    /// `finding('X')` / `any_finding(…)`: indexes into `FindingCode.all`.
    case findings([Int])
    case extreme(max: Bool, TypedCondition, TypedCondition)
    case datePart(DatePart, TypedCondition)
    case count(ElementCollection, filter: TypedCondition?, window: CountWindow)

    public enum Constant: Hashable, Sendable {
        case bool(Bool), number(Int64), text(String), date(CivilDate), coded(UInt8)
    }

    public enum CompareOperator: String, Hashable, Sendable {
        case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
        /// The operator with its sides swapped: `a < b` is `b > a`.
        public var mirrored: CompareOperator {
            switch self { case .eq: .eq; case .ne: .ne; case .lt: .gt; case .le: .ge; case .gt: .lt; case .ge: .le }
        }
    }
    public enum DatePart: String, Hashable, Sendable { case year, month, day }

    public enum CountWindow: Hashable, Sendable {
        case all
        /// The last N days/months including today: (today − N, today].
        case within(days: Int, months: Int)
        /// [D, today].
        case since(TypedCondition)
    }

    /// The fields the expression reads (for explanations and the loader's projection).
    public var fields: Set<ConditionField> {
        var out = Set<ConditionField>()
        visit { if case .field(let f) = $0 { out.insert(f) } }
        return out
    }

    /// The fields whose values the expression compares (not only tests with present()/absent()).
    public var valueFields: Set<ConditionField> {
        var out = Set<ConditionField>()
        func walk(_ n: TypedCondition) {
            switch n {
            case .present(.field, _): break
            case .field(let f): out.insert(f)
            default: n.children.forEach(walk)
            }
        }
        walk(self)
        return out
    }

    /// Direct sub-expressions (outside count() filters).
    var children: [TypedCondition] {
        switch self {
        case .constant, .today, .element, .field, .findings: []
        case .not(let a), .present(let a, _), .shift(let a, _, _), .datePart(_, let a), .member(let a, _, _): [a]
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .coalesce(let a, let b),
             .arithmetic(_, let a, let b), .extreme(_, let a, let b): [a, b]
        case .count(_, _, let window): { if case .since(let d) = window { [d] } else { [] } }()
        }
    }

    /// Whether it counts licences anywhere (the loader skips the licences table otherwise).
    public var countsLicences: Bool {
        var found = false
        visit { if case .count(.licences, _, _) = $0 { found = true } }
        return found
    }

    /// The finding codes it tests.
    public var findingCodes: [String] {
        var out: [String] = []
        visit { if case .findings(let c) = $0 { out += c.map { FindingCode.all[$0] } } }
        return out
    }

    /// Every count() in it (not descending into a count's own filter).
    public var counts: [TypedCondition] {
        var out: [TypedCondition] = []
        visit { if case .count = $0 { out.append($0) } }
        return out
    }

    /// Calls `body` for this node and every node below it, outside count() filters.
    public func visit(_ body: (TypedCondition) -> Void) {
        body(self)
        switch self {
        case .constant, .today, .element, .field, .findings: break
        case .not(let a), .present(let a, _), .shift(let a, _, _), .datePart(_, let a), .member(let a, _, _):
            a.visit(body)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .coalesce(let a, let b),
             .arithmetic(_, let a, let b), .extreme(_, let a, let b):
            a.visit(body); b.visit(body)
        case .count(_, _, let window):
            if case .since(let d) = window { d.visit(body) }
        }
    }
}
