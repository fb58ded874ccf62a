/// One token of the condition language (docs/policy.md §3.4).
enum ConditionToken: Equatable, Sendable {
    case name(String)              // a field segment, function or keyword
    case define(String)            // $name
    case number(Int64)             // in hundredths: `1.5` → 150
    case text(String)              // '…' or "…"
    case symbol(String)            // ( ) [ ] , . == != < <= > >= + - ??
    case end

    var display: String {
        switch self {
        case .name(let n): "`\(n)`"
        case .define(let n): "`$\(n)`"
        case .number(let v): "number \(ConditionNumber.text(v))"
        case .text(let t): "'\(t)'"
        case .symbol(let s): "`\(s)`"
        case .end: "the end of the expression"
        }
    }
}

struct LocatedToken: Sendable {
    var token: ConditionToken
    var location: SourceLocation
}

/// Numbers are exact hundredths (two decimals), so money and counts compare exactly.
public enum ConditionNumber {
    public static let scale: Int64 = 100
    /// `12.5` for 1250, `3` for 300, `0.05` for 5.
    public static func text(_ hundredths: Int64) -> String {
        let magnitude = hundredths.magnitude
        var s = (hundredths < 0 ? "-" : "") + String(magnitude / 100)
        let frac = magnitude % 100
        if frac != 0 { s += "." + (frac < 10 ? "0" + String(frac) : String(frac % 10 == 0 ? frac / 10 : frac)) }
        return s
    }
}
