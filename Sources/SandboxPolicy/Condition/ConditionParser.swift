/// Recursive-descent parser for the grammar of docs/policy.md §3.4.
/// Precedence, tightest first: `??` · `+ -` · comparisons and `in` · `not` · `and` · `or`.
struct ConditionParser {
    static let reserved: Set<String> = ["and", "or", "not", "in", "where", "within", "since", "true", "false",
                                        "today", "count"]
    static let maxDepth = 32
    static let maxListLength = 64

    private let tokens: [LocatedToken]
    private var index = 0
    private var depth = 0

    static func parse(_ source: String) throws(ConditionError) -> ConditionSyntax {
        var parser = ConditionParser(tokens: try ConditionLexer.tokens(of: source))
        let tree = try parser.expression()
        guard case .end = parser.current.token else {
            throw ConditionError("expected `and`, `or` or the end of the expression, found \(parser.current.token.display)",
                                 at: parser.current.location)
        }
        return tree
    }

    private init(tokens: [LocatedToken]) { self.tokens = tokens }

    private var current: LocatedToken { tokens[index] }
    private mutating func advance() -> LocatedToken { defer { index += 1 }; return tokens[index] }
    private func isSymbol(_ s: String) -> Bool { current.token == .symbol(s) }
    private func isKeyword(_ k: String) -> Bool { current.token == .name(k) }

    private mutating func expect(_ s: String, _ what: String) throws(ConditionError) {
        guard isSymbol(s) else {
            throw ConditionError("expected \(what), found \(current.token.display)", at: current.location)
        }
        index += 1
    }

    private mutating func nested<T>(_ body: (inout ConditionParser) throws(ConditionError) -> T) throws(ConditionError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw ConditionError("the expression is nested deeper than \(Self.maxDepth) levels", at: current.location)
        }
        return try body(&self)
    }

    mutating func expression() throws(ConditionError) -> ConditionSyntax {
        try nested { (p: inout ConditionParser) throws(ConditionError) in try p.or() }
    }

    private mutating func or() throws(ConditionError) -> ConditionSyntax {
        var left = try and()
        while isKeyword("or") {
            let at = advance().location
            left = .binary("or", left, try and(), at)
        }
        return left
    }

    private mutating func and() throws(ConditionError) -> ConditionSyntax {
        var left = try unary()
        while isKeyword("and") {
            let at = advance().location
            left = .binary("and", left, try unary(), at)
        }
        return left
    }

    private mutating func unary() throws(ConditionError) -> ConditionSyntax {
        if isKeyword("not") {
            let at = advance().location
            let operand = try nested { (p: inout ConditionParser) throws(ConditionError) in try p.unary() }
            return .not(operand, at)
        }
        return try comparison()
    }

    private mutating func comparison() throws(ConditionError) -> ConditionSyntax {
        let left = try additive()
        if case .symbol(let s) = current.token, ["==", "!=", "<", "<=", ">", ">="].contains(s) {
            let at = advance().location
            return .binary(s, left, try additive(), at)
        }
        var negated = false
        if isKeyword("not"), index + 1 < tokens.count, tokens[index + 1].token == .name("in") {
            negated = true
            index += 1
        }
        if isKeyword("in") {
            let at = advance().location
            try expect("[", "`[` to start the list after `in`")
            var list: [ConditionSyntax] = []
            repeat {
                if !list.isEmpty { index += 1 }   // the comma
                list.append(try literal())
                guard list.count <= Self.maxListLength else {
                    throw ConditionError("an `in` list has at most \(Self.maxListLength) values", at: at)
                }
            } while isSymbol(",")
            try expect("]", "`,` or `]` in the `in` list")
            return .member(left, list, negated: negated, at)
        }
        if negated {
            throw ConditionError("expected `in` after `not`", at: current.location)
        }
        return left
    }

    private mutating func additive() throws(ConditionError) -> ConditionSyntax {
        var left = try coalesce()
        while case .symbol(let s) = current.token, s == "+" || s == "-" {
            let at = advance().location
            left = .binary(s, left, try coalesce(), at)
        }
        return left
    }

    private mutating func coalesce() throws(ConditionError) -> ConditionSyntax {
        var left = try primary()
        while isSymbol("??") {
            let at = advance().location
            left = .binary("??", left, try primary(), at)
        }
        return left
    }

    private mutating func literal() throws(ConditionError) -> ConditionSyntax {
        let t = current
        switch t.token {
        case .number, .text: return try primary()
        case .name("true"), .name("false"): return try primary()
        default:
            throw ConditionError("expected a literal value (a number, 'text', true or false), found \(t.token.display)",
                                 at: t.location)
        }
    }

    private mutating func durationUnit() -> ConditionSyntax.Duration.Unit?? {
        guard case .name(let n) = current.token else { return nil }
        switch n {
        case "day", "days": return .some(.days)
        case "month", "months": return .some(.months)
        case "year", "years": return .some(nil)
        default: return nil
        }
    }

    private mutating func primary() throws(ConditionError) -> ConditionSyntax {
        let t = advance()
        switch t.token {
        case .number(let v):
            if let unit = durationUnit() {
                index += 1
                guard v % 100 == 0 else {
                    throw ConditionError("a duration is a whole number of days, months or years", at: t.location)
                }
                let n = Int(v / 100)
                guard n <= 7300 else { throw ConditionError("durations are at most 20 years", at: t.location) }
                let d = unit.map { ConditionSyntax.Duration(amount: n, unit: $0) }
                    ?? ConditionSyntax.Duration(amount: n * 12, unit: .months)
                guard d.unit == .days || d.amount <= 240 else {
                    throw ConditionError("durations are at most 20 years", at: t.location)
                }
                return .duration(d, t.location)
            }
            return .number(v, t.location)
        case .text(let s): return .text(s, t.location)
        case .define(let n): return .define(n, t.location)
        case .symbol("("):
            let inner = try expression()
            try expect(")", "`)`")
            return inner
        case .symbol("-"):
            guard case .number(let v) = current.token else {
                throw ConditionError("`-` here must be followed by a number", at: t.location)
            }
            index += 1
            return .number(-v, t.location)
        case .name("true"): return .boolean(true, t.location)
        case .name("false"): return .boolean(false, t.location)
        case .name("today"): return .today(t.location)
        case .name("count"): return try count(at: t.location)
        case .name(let n) where Self.reserved.contains(n):
            throw ConditionError("`\(n)` is a keyword and cannot start a value here", at: t.location)
        case .name(let n):
            if isSymbol("(") {
                index += 1
                var args: [ConditionSyntax] = []
                if !isSymbol(")") {
                    args.append(try expression())
                    while isSymbol(",") { index += 1; args.append(try expression()) }
                }
                try expect(")", "`,` or `)` after the arguments of \(n)()")
                return .call(n, args, t.location)
            }
            if isSymbol(".") {
                index += 1
                guard case .name(let field) = current.token else {
                    throw ConditionError("expected a field name after `\(n).`", at: current.location)
                }
                index += 1
                return .path([n, field], t.location)
            }
            return .path([n], t.location)
        default:
            throw ConditionError("expected a value, found \(t.token.display)", at: t.location)
        }
    }

    private mutating func count(at: SourceLocation) throws(ConditionError) -> ConditionSyntax {
        try expect("(", "`(` after count")
        guard case .name(let collection) = current.token, collection == "events" || collection == "licences" else {
            throw ConditionError("count() counts `events` or `licences`, found \(current.token.display)", at: current.location)
        }
        index += 1
        var filter: ConditionSyntax?
        if isKeyword("where") {
            index += 1
            filter = try expression()
        }
        var window: ConditionSyntax.WindowSyntax?
        if isKeyword("within") {
            let w = advance()
            let d = try primary()
            guard case .duration(let duration, _) = d else {
                throw ConditionError("`within` takes a duration, e.g. `within 90 days`", at: w.location)
            }
            window = .within(duration, w.location)
        } else if isKeyword("since") {
            index += 1
            window = .since(try additive())
        }
        try expect(")", "`where`, `within`, `since` or `)` in count()")
        return .count(collection: collection, filter: filter, window: window, at)
    }
}
