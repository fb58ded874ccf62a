import SandboxCore

/// Type-checks a parsed expression and resolves its names (docs/policy.md §3.5–§3.8): fields
/// against `ConditionField`, finding codes against `FindingCode.all`, coded literals against
/// their values, definitions by expansion (cycles refused), stage visibility. The result is a
/// `TypedCondition` that can only read what the schema allows.
public struct ConditionChecker {
    public static let maxNodes = 256
    static let functions = ["present", "absent", "finding", "any_finding", "max", "min", "year", "month", "day", "date"]

    let definitions: ConditionDefinitions
    let stage: Int
    private var expanding: [String] = []
    private var nodes = 0

    /// Compiles `source` to a typed condition of type `expecting` (bool or number).
    public static func compile(_ source: String, expecting: ValueType, stage: Int, scope: ConditionScope = .merchant,
                               definitions: ConditionDefinitions) throws(ConditionError) -> TypedCondition {
        let syntax = try ConditionParser.parse(source)
        var checker = ConditionChecker(definitions: definitions, stage: stage)
        let (typed, type) = try checker.check(syntax, scope: scope)
        guard type == expecting else {
            throw ConditionError("the expression must give a \(expecting), but it gives a \(type)"
                                 + (expecting == .bool ? "; compare it with something, e.g. `… > 0`" : ""),
                                 at: SourceLocation(line: 1, column: 1))
        }
        return typed
    }

    init(definitions: ConditionDefinitions, stage: Int) {
        self.definitions = definitions; self.stage = stage
    }

    // MARK: - Nodes

    mutating func check(_ node: ConditionSyntax, scope: ConditionScope) throws(ConditionError) -> (TypedCondition, ValueType) {
        nodes += 1
        guard nodes <= Self.maxNodes else {
            throw ConditionError("the expression has more than \(Self.maxNodes) parts after expanding definitions; split it with [[define]]",
                                 at: node.location)
        }
        switch node {
        case .number(let v, _): return (.constant(.number(v)), .number)
        case .text(let s, _): return (.constant(.text(s)), .text)
        case .boolean(let b, _): return (.constant(.bool(b)), .bool)
        case .duration(let d, let at):
            throw ConditionError("a duration (\(d.text)) can only be added to or subtracted from a date, e.g. `today - \(d.text)`", at: at)
        case .today: return (.today, .date)
        case .path(let segments, let at): return try path(segments, scope: scope, at: at)
        case .define(let name, let at): return try define(name, scope: scope, at: at)
        case .call(let name, let args, let at): return try call(name, args, scope: scope, at: at)
        case .count(let collection, let filter, let window, let at):
            return try count(collection, filter: filter, window: window, scope: scope, at: at)
        case .not(let e, _):
            let (t, type) = try check(e, scope: scope)
            try requireBool(type, e.location, "`not`")
            return (.not(t), .bool)
        case .binary(let op, let a, let b, let at):
            return try binary(op, a, b, scope: scope, at: at)
        case .member(let e, let list, let negated, let at):
            let (t, type) = try check(e, scope: scope)
            switch type {
            case .text, .number, .coded: break
            default: throw ConditionError("`in` needs text, a number or a coded value on its left, not a \(type)", at: at)
            }
            var constants: [TypedCondition.Constant] = []
            for item in list { constants.append(try literal(item, as: type)) }
            return (.member(t, constants, negated: negated), .bool)
        }
    }

    private func requireBool(_ type: ValueType, _ at: SourceLocation, _ what: String) throws(ConditionError) {
        guard type == .bool else { throw ConditionError("\(what) needs a condition (bool), not a \(type)", at: at) }
    }

    /// A literal as a value of `type`: text literals become coded values when the other side is coded.
    private func literal(_ node: ConditionSyntax, as type: ValueType) throws(ConditionError) -> TypedCondition.Constant {
        switch (node, type) {
        case (.number(let v, _), .number): return .number(v)
        case (.boolean(let b, _), .bool): return .bool(b)
        case (.text(let s, _), .text): return .text(s)
        case (.text(let s, let at), .coded(let kind)):
            guard let code = kind.code(of: s) else {
                let spellings = kind.values.map { $0.joined(separator: "/") }.joined(separator: ", ")
                throw ConditionError("'\(s)' is not a value of \(kind.rawValue); values: \(spellings)", at: at)
            }
            return .coded(code)
        default:
            throw ConditionError("expected a \(type) literal here", at: node.location)
        }
    }

    private func path(_ segments: [String], scope: ConditionScope, at: SourceLocation) throws(ConditionError) -> (TypedCondition, ValueType) {
        if segments.count == 1 {
            guard case .elements(let collection) = scope else {
                throw ConditionError("unknown name `\(segments[0])`; fields are written `merchant.…`, `registry.…`, `findings.…`"
                                     + " (docs/policy.md §3.2)", at: at)
            }
            let fields = ElementField.allCases.filter { $0.collection == collection }
            guard let f = fields.first(where: { $0.rawValue == segments[0] }) else {
                throw ConditionError("unknown field `\(segments[0])` of \(scope.name)s; fields: "
                                     + fields.map(\.rawValue).joined(separator: ", "), at: at)
            }
            return (.element(f), f.type)
        }
        let name = segments.joined(separator: ".")
        if case .elements(let collection) = scope {
            throw ConditionError("inside count(\(collection.rawValue) …) only the \(scope.name)'s own fields can be used "
                                 + "(e.g. `event_type`), not `\(name)`", at: at)
        }
        guard let field = ConditionField(rawValue: name) else {
            if name == "merchant.category" {
                // Several categories per merchant (EXPORT-FORMAT.md): no single value to compare.
                throw ConditionError("`merchant.category` is a list (a merchant may sell several kinds); what a category "
                    + "needs belongs in [verification.licence_required], and finding('LICENCE_MISSING') and its kin "
                    + "say whether it is met", at: at)
            }
            let siblings = ConditionField.allCases.filter { $0.prefix == segments[0] }
            if siblings.isEmpty {
                throw ConditionError("unknown field `\(name)`; fields start with merchant., registry., findings., risk., cases., roster. or case.", at: at)
            }
            let names = siblings.map { String($0.rawValue.dropFirst(segments[0].count + 1)) }.sorted()
            throw ConditionError("unknown field `\(name)`; fields of \(segments[0]): \(names.joined(separator: ", "))", at: at)
        }
        guard field.stage <= stage else {
            throw ConditionError("`\(name)` is not available to \(Self.stageName(stage)) (\(Self.stageReason(field.stage))); "
                                 + "it is available to \(Self.availableTo(field.stage))", at: at)
        }
        return (.field(field), field.type)
    }

    static func stageName(_ stage: Int) -> String {
        ["", "indicators", "triggers", "roster criteria", "prompts", "determinations"][stage]
    }
    static func stageReason(_ stage: Int) -> String {
        switch stage {
        case 2: "classes are computed from the indicators"
        case 3: "cases are decided after the triggers"
        case 4: "the roster is decided after the triggers"
        default: "it describes the case being determined"
        }
    }
    static func availableTo(_ stage: Int) -> String {
        (stage...5).map { stageName($0) }.joined(separator: ", ")
    }

    private mutating func define(_ name: String, scope: ConditionScope, at: SourceLocation) throws(ConditionError) -> (TypedCondition, ValueType) {
        guard let def = definitions.byName[name] else {
            throw ConditionError("unknown definition `$\(name)`; definitions: \(definitions.names.joined(separator: ", "))", at: at)
        }
        guard !expanding.contains(name) else {
            throw ConditionError("definition `$\(name)` refers to itself (\((expanding + [name]).map { "$" + $0 }.joined(separator: " → ")))", at: at)
        }
        guard def.scope == scope else {
            throw ConditionError("`$\(name)` is a \(def.scope.name) definition and cannot be used in \(scope.name) scope", at: at)
        }
        expanding.append(name)
        defer { expanding.removeLast() }
        do {
            return try check(def.syntax, scope: scope)
        } catch {
            if error.message.hasPrefix("in `$") { throw error }
            throw ConditionError("in `$\(name)` (its line \(error.location.line), column \(error.location.column)): \(error.message)", at: at)
        }
    }

    private mutating func binary(_ op: String, _ a: ConditionSyntax, _ b: ConditionSyntax, scope: ConditionScope,
                                 at: SourceLocation) throws(ConditionError) -> (TypedCondition, ValueType) {
        switch op {
        case "and", "or":
            let (ta, typeA) = try check(a, scope: scope)
            try requireBool(typeA, a.location, "`\(op)`")
            let (tb, typeB) = try check(b, scope: scope)
            try requireBool(typeB, b.location, "`\(op)`")
            return (op == "and" ? .and(ta, tb) : .or(ta, tb), .bool)
        case "+", "-":
            let (ta, typeA) = try check(a, scope: scope)
            if typeA == .date {
                guard case .duration(let d, _) = b else {
                    throw ConditionError("a date can only be shifted by a duration, e.g. `\(op) 6 months`; there is no date − date",
                                         at: b.location)
                }
                let sign = op == "+" ? 1 : -1
                return (.shift(ta, days: d.unit == .days ? sign * d.amount : 0, months: d.unit == .months ? sign * d.amount : 0), .date)
            }
            guard typeA == .number else {
                throw ConditionError("`\(op)` works on numbers (and date ± duration), not on a \(typeA)", at: at)
            }
            let (tb, typeB) = try check(b, scope: scope)
            guard typeB == .number else { throw ConditionError("cannot \(op == "+" ? "add" : "subtract") a \(typeB) and a number", at: b.location) }
            return (.arithmetic(subtract: op == "-", ta, tb), .number)
        case "??":
            let (ta, typeA) = try check(a, scope: scope)
            let tb = try operand(b, as: typeA, scope: scope)
            return (.coalesce(ta, tb), typeA)
        default:
            return try comparison(op, a, b, scope: scope, at: at)
        }
    }

    /// Checks `node` as a value of `type`, letting a literal take the type of the other side.
    private mutating func operand(_ node: ConditionSyntax, as type: ValueType, scope: ConditionScope) throws(ConditionError) -> TypedCondition {
        switch node {
        case .text, .number, .boolean:
            if case .text = node, type != .text, !(type.isCoded) {
                break
            }
            return .constant(try literal(node, as: type))
        default: break
        }
        let (t, other) = try check(node, scope: scope)
        guard other == type else {
            throw ConditionError("expected a \(type) here, found a \(other)" + Self.hint(expected: type, found: other), at: node.location)
        }
        return t
    }

    static func hint(expected: ValueType, found: ValueType) -> String {
        if expected == .date, found == .number { return "; write a date, e.g. `today - 6 months` or `date('2026-01-01')`" }
        if expected == .bool { return "; compare it, e.g. `… == true`" }
        return ""
    }

    private mutating func comparison(_ op: String, _ a: ConditionSyntax, _ b: ConditionSyntax, scope: ConditionScope,
                                     at: SourceLocation) throws(ConditionError) -> (TypedCondition, ValueType) {
        let compare = TypedCondition.CompareOperator(rawValue: op)!
        // Type the non-literal side first, so a text literal can become a coded value.
        let aIsLiteral = { if case .text = a { true } else { false } }()
        let (first, second) = aIsLiteral ? (b, a) : (a, b)
        let (t1, type) = try check(first, scope: scope)
        let t2: TypedCondition
        do {
            t2 = try operand(second, as: type, scope: scope)
        } catch {
            if case .number = second, type == .date {
                throw ConditionError("cannot compare date `\(Self.describe(first))` with a number; write a duration, e.g. `today - 6 months`",
                                     at: second.location)
            }
            throw error
        }
        let ordered = [.lt, .le, .gt, .ge].contains(compare)
        if ordered {
            switch type {
            case .number, .date: break
            case .coded(let kind) where kind.isOrdered: break
            default:
                throw ConditionError("`\(op)` needs ordered values (numbers, dates, severity or class); \(type) has no order", at: at)
            }
        }
        let (left, right) = aIsLiteral ? (t2, t1) : (t1, t2)
        return (.compare(compare, left, right), .bool)
    }

    static func describe(_ node: ConditionSyntax) -> String {
        switch node {
        case .path(let s, _): s.joined(separator: ".")
        case .today: "today"
        default: "…"
        }
    }

    // MARK: - Functions

    private mutating func call(_ name: String, _ args: [ConditionSyntax], scope: ConditionScope,
                               at: SourceLocation) throws(ConditionError) -> (TypedCondition, ValueType) {
        func arity(_ n: Int) throws(ConditionError) {
            guard args.count == n else { throw ConditionError("\(name)() takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)", at: at) }
        }
        switch name {
        case "present", "absent":
            try arity(1)
            guard case .path = args[0] else {
                throw ConditionError("\(name)() takes a field, e.g. \(name)(merchant.uscc)", at: args[0].location)
            }
            let (t, _) = try check(args[0], scope: scope)
            return (.present(t, name == "present"), .bool)
        case "finding", "any_finding":
            if name == "finding" { try arity(1) }
            guard !args.isEmpty else { throw ConditionError("any_finding() needs at least one code", at: at) }
            guard scope == .merchant else { throw ConditionError("findings belong to the merchant, not to a \(scope.name)", at: at) }
            var codes: [Int] = []
            for arg in args {
                guard case .text(let code, let l) = arg else {
                    throw ConditionError("\(name)() takes finding codes in quotes, e.g. '\(FindingCode.licenceNotDisplayed)'", at: arg.location)
                }
                guard let i = FindingCode.all.firstIndex(of: code) else {
                    let guess = Self.closest(code, in: FindingCode.all).map { "did you mean '\($0)'? " } ?? ""
                    throw ConditionError("unknown finding code '\(code)'; \(guess)(codes: docs/findings.md)", at: l)
                }
                codes.append(i)
            }
            return (.findings(codes), .bool)
        case "max", "min":
            try arity(2)
            let a = try operand(args[0], as: .number, scope: scope)
            let b = try operand(args[1], as: .number, scope: scope)
            return (.extreme(max: name == "max", a, b), .number)
        case "year", "month", "day":
            try arity(1)
            let d = try operand(args[0], as: .date, scope: scope)
            return (.datePart(TypedCondition.DatePart(rawValue: name)!, d), .number)
        case "date":
            try arity(1)
            guard case .text(let text, let l) = args[0], let d = CivilDate(isoText: text) else {
                throw ConditionError("date() takes a date in quotes, e.g. date('2026-06-30')", at: args[0].location)
            }
            _ = l
            return (.constant(.date(d)), .date)
        default:
            let guess = Self.closest(name, in: Self.functions).map { "did you mean \($0)()? " } ?? ""
            throw ConditionError("unknown function \(name)(); \(guess)functions: \(Self.functions.joined(separator: ", ")), count", at: at)
        }
    }

    private mutating func count(_ collection: String, filter: ConditionSyntax?, window: ConditionSyntax.WindowSyntax?,
                                scope: ConditionScope, at: SourceLocation) throws(ConditionError) -> (TypedCondition, ValueType) {
        guard scope == .merchant else { throw ConditionError("count() cannot be nested inside another count()", at: at) }
        let c = ElementCollection(rawValue: collection)!
        var typedFilter: TypedCondition?
        if let filter {
            let (t, type) = try check(filter, scope: .elements(c))
            try requireBool(type, filter.location, "`where`")
            typedFilter = t
        }
        var typedWindow = TypedCondition.CountWindow.all
        switch window {
        case nil: break
        case .within(let d, let l):
            guard c == .events else { throw ConditionError("licences carry no time; `within` works on events", at: l) }
            typedWindow = .within(days: d.unit == .days ? d.amount : 0, months: d.unit == .months ? d.amount : 0)
        case .since(let node):
            guard c == .events else { throw ConditionError("licences carry no time; `since` works on events", at: node.location) }
            typedWindow = .since(try operand(node, as: .date, scope: scope))
        }
        return (.count(c, filter: typedFilter, window: typedWindow), .number)
    }

    /// The most similar candidate (edit distance ≤ a third of the length), for "did you mean".
    static func closest(_ word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var prev = row[0]; row[0] = i
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    let cur = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                    prev = cur
                }
            }
            return row[b.count]
        }
        let w = Array(word.uppercased())
        let best = candidates.map { ($0, distance(w, Array($0.uppercased()))) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(1, w.count / 3) else { return nil }
        return best.0
    }
}

extension ValueType {
    var isCoded: Bool { if case .coded = self { true } else { false } }
}
