import Foundation
import SandboxCore
import SandboxPolicy
import SandboxStorage

/// The compliance team's views of the policy (docs/policy.md §14.2): the roster, the cases, and
/// the award candidates (评优评先: sandbox members longest in good standing). Each is a table
/// of named columns, printed as text, JSON Lines or CSV by the command.
public struct PolicyReport: Sendable {
    public var columns: [String]
    public var rows: [[String?]]
}

public enum PolicyReports {
    static func day(_ v: Int?) -> String? { PolicyLines.day(v) }

    /// Current sandbox members.
    public static func roster(_ state: AgentState) throws -> PolicyReport {
        let s = try state.database.prepareUncached("""
            SELECT p.platform_merchant_id, m.uscc, m.shop_name, p.class, p.points, p.member_since, p.source,
                   (SELECT pack_version FROM policy_items WHERE type = 'roster' AND key = p.platform_merchant_id)
            FROM merchant_policy p LEFT JOIN merchants m ON m.platform_merchant_id = p.platform_merchant_id
            WHERE p.member = 1 AND p.excluded_by_regulator = 0 ORDER BY p.platform_merchant_id
            """)
        var rows: [[String?]] = []
        while try s.step() {
            rows.append([s.string(0), s.string(1), s.string(2), s.string(3), String(s.int(4)), day(s.intOrNil(5)),
                         s.string(6), s.string(7)])
        }
        return PolicyReport(columns: ["platform_merchant_id", "uscc", "shop_name", "class", "points", "member_since",
                                      "source", "pack_version"], rows: rows)
    }

    public enum CaseFilter: String, CaseIterable, Sendable { case open, overdue, closed, all }

    /// Cases with their latest instruction and its receipt state.
    public static func cases(_ state: AgentState, filter: CaseFilter) throws -> PolicyReport {
        let receipt = try state.database.prepare("SELECT kind, receipt_state FROM policy_instructions WHERE id = ?")
        var rows: [[String?]] = []
        try state.allCases { c in
            switch filter {
            case .open: guard c.state.isOpen else { return }
            case .overdue: guard c.state == .overdue else { return }
            case .closed: guard !c.state.isOpen else { return }
            case .all: break
            }
            var last: String?, lastState: String?
            if let id = c.instructionIDs.last {
                defer { receipt.reset() }
                try receipt.bind(1, id)
                if try receipt.step() { last = id + " (" + (receipt.string(0) ?? "") + ")"; lastState = receipt.string(1) }
            }
            let claimed = c.state.isOpen && c.rule.clearsBy == .condition && lastState == "rectified" ? "claimed rectified" : nil
            let due = c.nextDue(calendar: PolicyCalendar()).map { UTCTime.rfc3339($0) }
            rows.append([c.id, c.merchantID, c.uscc, c.ruleID, c.rule.severity.rawValue, c.state.rawValue,
                         day(c.openedDay), day(c.deadlineDay), String(c.stepsIssued), due, last, lastState, claimed,
                         c.determination?.result.rawValue])
        }
        return PolicyReport(columns: ["case_id", "platform_merchant_id", "uscc", "rule_id", "severity", "state", "opened",
                                      "deadline", "steps_issued", "next_due", "last_instruction", "receipt_state", "note",
                                      "determination"], rows: rows)
    }

    /// Award candidates: members in good standing (class A, no open case), longest first.
    public static func candidates(_ state: AgentState, today: Int) throws -> PolicyReport {
        let s = try state.database.prepareUncached("""
            SELECT p.platform_merchant_id, m.uscc, m.shop_name, p.class, p.member_since
            FROM merchant_policy p LEFT JOIN merchants m ON m.platform_merchant_id = p.platform_merchant_id
            WHERE p.member = 1 AND p.excluded_by_regulator = 0 AND p.class = 'A'
              AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.platform_merchant_id = p.platform_merchant_id
                                                       AND c.state IN ('open', 'overdue'))
            ORDER BY p.member_since, p.platform_merchant_id
            """)
        var rows: [[String?]] = []
        var rank = 0
        while try s.step() {
            rank += 1
            let since = s.intOrNil(4)
            rows.append([String(rank), s.string(0), s.string(1), s.string(2), s.string(3), day(since),
                         since.map { String(today - $0) }])
        }
        return PolicyReport(columns: ["rank", "platform_merchant_id", "uscc", "shop_name", "class", "member_since",
                                      "days_in_good_standing"], rows: rows)
    }
}
