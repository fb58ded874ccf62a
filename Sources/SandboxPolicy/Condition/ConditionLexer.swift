/// Splits an expression into tokens, tracking line and column for every one.
struct ConditionLexer {
    static let maxTextLength = 4096

    static func tokens(of source: String) throws(ConditionError) -> [LocatedToken] {
        guard source.utf8.count <= maxTextLength else {
            throw ConditionError("the expression is longer than \(maxTextLength) bytes", at: SourceLocation(line: 1, column: 1))
        }
        let chars = Array(source.unicodeScalars)
        var out: [LocatedToken] = []
        var i = 0, line = 1, lineStart = 0
        func here(_ at: Int) -> SourceLocation { SourceLocation(line: line, column: at - lineStart + 1) }
        func isNameStart(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || c == "_" }
        func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

        while i < chars.count {
            let c = chars[i]
            if c == "\n" { i += 1; line += 1; lineStart = i; continue }
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            let start = here(i)
            if isNameStart(c) {
                var j = i
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
                out.append(LocatedToken(token: .name(String(String.UnicodeScalarView(chars[i..<j]))), location: start))
                i = j
            } else if c == "$" {
                var j = i + 1
                guard j < chars.count, isNameStart(chars[j]) else {
                    throw ConditionError("`$` must be followed by a definition name, e.g. `$storefront_open`", at: start)
                }
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
                out.append(LocatedToken(token: .define(String(String.UnicodeScalarView(chars[(i + 1)..<j]))), location: start))
                i = j
            } else if isDigit(c) {
                var whole: Int64 = 0, j = i
                while j < chars.count, isDigit(chars[j]) || chars[j] == "_" {
                    if chars[j] != "_" {
                        let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                        let (s, o2) = m.addingReportingOverflow(Int64(chars[j].value - 48))
                        guard !o1, !o2, s <= Int64.max / 100 else {
                            throw ConditionError("the number is too large", at: start)
                        }
                        whole = s
                    }
                    j += 1
                }
                var frac: Int64 = 0
                if j + 1 < chars.count, chars[j] == ".", isDigit(chars[j + 1]) {
                    j += 1
                    var digits = 0
                    while j < chars.count, isDigit(chars[j]) {
                        digits += 1
                        guard digits <= 2 else {
                            throw ConditionError("numbers have at most two decimals", at: start)
                        }
                        frac = frac * 10 + Int64(chars[j].value - 48)
                        j += 1
                    }
                    if digits == 1 { frac *= 10 }
                }
                if j < chars.count, isNameStart(chars[j]) || chars[j] == "." {
                    // `12days` or `1.` — ask for the space or the digits rather than guess.
                    if chars[j] == "." {
                        throw ConditionError("a decimal point must be followed by a digit", at: here(j))
                    }
                }
                out.append(LocatedToken(token: .number(whole * 100 + frac), location: start))
                i = j
            } else if c == "'" || c == "\"" {
                var j = i + 1
                while j < chars.count, chars[j] != c {
                    if chars[j] == "\n" { break }
                    j += 1
                }
                guard j < chars.count, chars[j] == c else {
                    throw ConditionError("unterminated text literal: add the closing \(c)", at: start)
                }
                out.append(LocatedToken(token: .text(String(String.UnicodeScalarView(chars[(i + 1)..<j]))), location: start))
                i = j + 1
            } else {
                let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
                let two: String? = next.map { String(c) + String($0) }
                if let two, ["==", "!=", "<=", ">=", "??"].contains(two) {
                    out.append(LocatedToken(token: .symbol(two), location: start)); i += 2
                } else if "()[],.<>+-".unicodeScalars.contains(c) {
                    out.append(LocatedToken(token: .symbol(String(c)), location: start)); i += 1
                } else if c == "=" {
                    throw ConditionError("`=` is not an operator; compare with `==`", at: start)
                } else if c == "&" || c == "|" || c == "!" {
                    throw ConditionError("write `and`, `or`, `not` (and `!=` for not equal)", at: start)
                } else {
                    throw ConditionError("unexpected character '\(c)'", at: start)
                }
            }
        }
        out.append(LocatedToken(token: .end, location: here(i)))
        return out
    }
}
