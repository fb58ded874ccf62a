import Foundation

/// The roster's "why not a member" in the reader's language. The reasons are the regulator's
/// rule's own English text (RegulatorRosterRule.reasons), kept as written in the kept decisions
/// and sent to the platforms in the verdicts, and the rule pack carries no Chinese for them: so
/// the console knows each sentence the rule writes and says it in Chinese, and shows the English
/// text of one it does not know (a test runs the rule to every reason and checks each is known).
enum RosterReasonText {
    static func text(_ reason: String, _ c: ConsoleRequestState) -> String {
        c.language == .zh ? (chinese(reason) ?? reason) : reason
    }

    /// The Chinese of a reason the rule writes; nil for any other text.
    static func chinese(_ reason: String) -> String? {
        switch reason {
        case "a regulator removal is in force": return "监管部门的移出决定仍在保留期内"
        case "no platform has decided on it": return "尚无平台对其作出名单决定"
        case "on the abnormal operations list (经营异常名录)": return "列入经营异常名录"
        case "on the serious violation list (严重违法失信名单)": return "列入严重违法失信名单"
        default: break
        }
        if let count = reason.cut(suffix: " case(s) open on the platforms"), Int(count) != nil {
            return "平台上有 \(count) 件案件尚未办结"
        }
        if let rest = reason.cut(prefix: "registered in division "), let (division, tail) = rest.split(at: ", not locally ("),
           let local = tail.cut(suffix: ")") {
            return "登记于行政区划 \(division)，非本地登记（本地：\(local)）"
        }
        guard let (platform, rest) = reason.split(at: " storefront ") else { return nil }
        if let id = rest.cut(suffix: " has no class yet") { return "\(platform) 平台店铺 \(id) 尚无信用分类" }
        if let id = rest.cut(suffix: ": the platform's agent does not propose it") {
            return "\(platform) 平台店铺 \(id)：该平台未提议纳入沙盒"
        }
        if let (id, tail) = rest.split(at: " is rated class "), let (rated, admitted) = tail.split(at: "; the sandbox admits ") {
            return "\(platform) 平台店铺 \(id) 的信用分类为 \(rated) 类；沙盒仅接纳 \(admitted) 类"
        }
        return nil
    }
}

private extension String {
    func cut(prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
    func cut(suffix: String) -> String? { hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil }

    /// The text before and after the first `separator`.
    func split(at separator: String) -> (String, String)? {
        guard let r = range(of: separator) else { return nil }
        return (String(self[..<r.lowerBound]), String(self[r.upperBound...]))
    }
}
