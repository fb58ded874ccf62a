/// The parsed, untyped form of an expression (docs/policy.md §3.4). The checker turns it into a
/// typed program; nothing evaluates this tree.
indirect enum ConditionSyntax: Sendable {
    case number(Int64, SourceLocation)
    case text(String, SourceLocation)
    case boolean(Bool, SourceLocation)
    case duration(Duration, SourceLocation)
    case today(SourceLocation)
    /// `merchant.opened_at` (two segments) or a bare element field inside `count(…)`.
    case path([String], SourceLocation)
    case define(String, SourceLocation)
    case call(String, [ConditionSyntax], SourceLocation)
    case count(collection: String, filter: ConditionSyntax?, window: WindowSyntax?, SourceLocation)
    case not(ConditionSyntax, SourceLocation)
    case binary(String, ConditionSyntax, ConditionSyntax, SourceLocation)
    case member(ConditionSyntax, [ConditionSyntax], negated: Bool, SourceLocation)

    enum WindowSyntax: Sendable {
        case within(Duration, SourceLocation)
        case since(ConditionSyntax)
    }

    /// `N days`, `N months`, `N years` (years are kept as 12·N months).
    struct Duration: Hashable, Sendable {
        enum Unit: Hashable, Sendable { case days, months }
        var amount: Int
        var unit: Unit
        var text: String { unit == .days ? "\(amount) days" : "\(amount) months" }
    }

    var location: SourceLocation {
        switch self {
        case .number(_, let l), .text(_, let l), .boolean(_, let l), .duration(_, let l), .today(let l),
             .path(_, let l), .define(_, let l), .call(_, _, let l), .count(_, _, _, let l), .not(_, let l),
             .binary(_, _, _, let l), .member(_, _, _, let l):
            l
        }
    }

    /// Nodes in the tree, for the size limit.
    var size: Int {
        switch self {
        case .number, .text, .boolean, .duration, .today, .path, .define: 1
        case .call(_, let args, _): 1 + args.reduce(0) { $0 + $1.size }
        case .count(_, let f, let w, _):
            1 + (f?.size ?? 0) + { if case .since(let d) = w { d.size } else { 0 } }()
        case .not(let e, _): 1 + e.size
        case .binary(_, let a, let b, _): 1 + a.size + b.size
        case .member(let e, let list, _, _): 1 + e.size + list.count
        }
    }
}
