import Foundation
import SandboxCore
import SandboxPolicy

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
        let rows: [[String?]] = try state.sandboxMembers().map { m in
            [m.merchantID, m.uscc, m.shopName, m.riskClass, String(m.points), day(m.memberSince), m.source, m.packVersion]
        }
        return PolicyReport(columns: ["platform_merchant_id", "uscc", "shop_name", "class", "points", "member_since",
                                      "source", "pack_version"], rows: rows)
    }

    public enum CaseFilter: String, CaseIterable, Sendable { case open, overdue, closed, all }

    /// Cases with their latest instruction and its receipt state.
    public static func cases(_ state: AgentState, filter: CaseFilter) throws -> PolicyReport {
        var rows: [[String?]] = []
        try state.allCases { c in
            switch filter {
            case .open: guard c.state.isOpen else { return }
            case .overdue: guard c.state == .overdue else { return }
            case .closed: guard !c.state.isOpen else { return }
            case .all: break
            }
            var last: String?, lastState: String?
            if let id = c.instructionIDs.last, let receipt = try state.instructionReceipt(id: id) {
                last = id + " (" + receipt.kind + ")"
                lastState = receipt.receiptState
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
        let rows: [[String?]] = try state.awardCandidates().enumerated().map { rank, m in
            [String(rank + 1), m.merchantID, m.uscc, m.shopName, m.riskClass, day(m.memberSince), m.memberSince.map { String(today - $0) }]
        }
        return PolicyReport(columns: ["rank", "platform_merchant_id", "uscc", "shop_name", "class", "member_since",
                                      "days_in_good_standing"], rows: rows)
    }
}
