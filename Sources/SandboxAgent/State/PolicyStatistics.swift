import SandboxCore
import SandboxStorage

/// The sandbox policy at a glance (status and metrics): the active pack, members, cases by
/// state, receipts awaited and overdue, when the last pass ran.
public struct PolicyStatistics: Sendable {
    public var packVersion: String?
    public var packSerial = 0
    public var members = 0
    public var classes: [String: Int] = [:]
    public var openCases = 0
    public var overdueCases = 0
    public var receiptsAwaited = 0
    public var receiptsOverdue = 0
    public var lastPassAt: Int64?
}

extension AgentState {
    public func policyStatistics() throws -> PolicyStatistics {
        try flushPolicyBatches()
        var p = PolicyStatistics()
        let pack = try database.prepare("SELECT pack_id, version, serial FROM rulepacks WHERE state = 'active' ORDER BY serial DESC LIMIT 1")
        defer { pack.reset() }
        if try pack.step() { p.packVersion = "\(pack.string(0) ?? "")-\(pack.string(1) ?? "")"; p.packSerial = pack.int(2) }
        p.members = Int(try database.int64("SELECT count(*) FROM merchant_policy WHERE member = 1 AND excluded_by_regulator = 0") ?? 0)
        let classes = try database.prepare("SELECT class, count(*) FROM merchant_policy WHERE class IS NOT NULL GROUP BY class")
        defer { classes.reset() }
        while try classes.step() { p.classes[classes.string(0) ?? "?"] = classes.int(1) }
        p.openCases = Int(try database.int64("SELECT count(*) FROM cases WHERE watched = 1 AND state IN ('open', 'overdue')") ?? 0)
        p.overdueCases = Int(try database.int64("SELECT count(*) FROM cases WHERE watched = 1 AND state = 'overdue'") ?? 0)
        p.receiptsAwaited = Int(try database.int64("SELECT count(*) FROM policy_instructions WHERE receipt_state = 'awaiting'") ?? 0)
        p.receiptsOverdue = Int(try database.int64("SELECT count(*) FROM policy_instructions WHERE receipt_state = 'overdue'") ?? 0)
        p.lastPassAt = try meta("policy.last_pass_at").flatMap { Int64($0) }
        return p
    }
}
