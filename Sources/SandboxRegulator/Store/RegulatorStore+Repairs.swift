import Foundation
import SandboxCore
import SandboxStorage
import SandboxWire

/// Why a repair decision was refused.
public enum RepairRefusal: Error, Sendable, Equatable {
    case noSuchRepair
    /// Decided already, or the application lacks a document; the text says which.
    case invalid(String)
}

// Credit repairs (信用修复): applications, the listing authority's decisions, and their effect on
// the registry that every agent reads.
extension StoreSession {
    private static let repairColumns = """
        r.id, r.uscc, r.list, r.applicant, r.source, r.application_letter, r.commitment_letter, r.note, r.received_at,
        r.decide_by, r.state, r.decided_by, r.decided_at, r.reason, r.registry_cursor
        """

    private static func repair(_ s: any SQLStatement, today: CivilDate) -> CreditRepair {
        let state = CreditRepair.State(rawValue: s.string(10) ?? "") ?? .pending
        let decideBy = s.string(9) ?? ""
        return CreditRepair(
            id: s.string(0) ?? "", uscc: s.string(1) ?? "", list: RepairList(rawValue: s.string(2) ?? "") ?? .abnormalList,
            applicant: s.string(3) ?? "", source: s.string(4) ?? "", applicationLetter: s.int(5) != 0,
            commitmentLetter: s.int(6) != 0, note: s.string(7), receivedAt: UTCTime.rfc3339(s.int64(8)), decideBy: decideBy,
            state: state, decidedBy: s.string(11), decidedAt: s.int64OrNil(12).map(UTCTime.rfc3339), reason: s.string(13),
            registryCursor: s.int64OrNil(14), overdue: state == .pending && decideBy < today.description)
    }

    public func addRepair(uscc: String, list: RepairList, applicant: String, source: String, applicationLetter: Bool,
                          commitmentLetter: Bool, note: String?, now: Int64) throws -> CreditRepair {
        let id = "rep-" + UUID().uuidString.lowercased()
        let today = CivilDate(unixTime: now)
        let s = try database.prepare("""
            INSERT INTO repairs (id, uscc, list, applicant, source, application_letter, commitment_letter, note, received_at,
                                 decide_by, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
            """)
        defer { s.reset() }
        try s.bind(all: id, uscc, list.rawValue, applicant, source, applicationLetter, commitmentLetter, note, now,
                   today.adding(workingDays: list.decisionWorkingDays).description)
        try s.step()
        return try repair(id: id, today: today)!
    }

    public func repair(id: String, today: CivilDate) throws -> CreditRepair? {
        let s = try database.prepare("SELECT \(Self.repairColumns) FROM repairs r WHERE r.id = ?")
        defer { s.reset() }
        try s.bind(all: id)
        return try s.step() ? Self.repair(s, today: today) : nil
    }

    /// The caller's jurisdiction's repairs, the pending ones by decision day first.
    public func repairs(jurisdiction: Jurisdiction, state: CreditRepair.State?, uscc: String?, today: CivilDate,
                        limit: Int) throws -> [CreditRepair] {
        let (clause, value) = Self.jurisdictionClause(jurisdiction)
        let s = try database.prepare("""
            SELECT \(Self.repairColumns) FROM repairs r
            WHERE \(clause) AND (?1 IS NULL OR r.state = ?1) AND \(Self.onlyUSCC("r.uscc", uscc, 2))
            ORDER BY r.state != 'pending', r.decide_by, r.received_at LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(all: state?.rawValue, uscc, limit)
        if let value { try s.bind(10, value) }
        var out: [CreditRepair] = []
        while try s.step() { out.append(Self.repair(s, today: today)) }
        return out
    }

    /// Decides a pending repair, once. An approval ends the list entry in the registry (a new
    /// registry cursor, so every agent re-verifies the enterprise and its class follows).
    public func decideRepair(id: String, approve: Bool, reason: String?, officer: String, now: Int64) throws -> CreditRepair {
        let today = CivilDate(unixTime: now)
        return try database.transaction {
            guard let current = try repair(id: id, today: today) else { throw RepairRefusal.noSuchRepair }
            guard current.state == .pending else {
                throw RepairRefusal.invalid("repair \(id) was decided already (\(current.state.rawValue) by \(current.decidedBy ?? "?"))")
            }
            if approve && !(current.applicationLetter && current.commitmentLetter) {
                throw RepairRefusal.invalid("an approval needs both the 信用修复申请书 and the 守信承诺书 on file; record them, or reject with the reason")
            }
            var cursor: Int64?
            if approve, let flag = current.list.registryFlag, let entry = try registryEntry(uscc: current.uscc),
               case .object(var content) = entry, content[flag] == .bool(true) {
                content[flag] = .bool(false)
                content["cursor"] = nil
                try dialect.serializeCursors(database)
                let u = try database.prepare("""
                    UPDATE registry SET content = ?1, cursor = (SELECT COALESCE(MAX(cursor), 0) + 1 FROM registry), imported_at = ?2
                    WHERE uscc = ?3
                    """)
                defer { u.reset() }
                try u.bind(all: JSONValue.object(content).jsonText, now, current.uscc)
                try u.step()
                try markRosterDirty([current.uscc])
                if case .int(let c)? = try registryEntry(uscc: current.uscc)?["cursor"] { cursor = c }
            }
            let s = try database.prepare("""
                UPDATE repairs SET state = ?1, decided_by = ?2, decided_at = ?3, reason = ?4, registry_cursor = ?5
                WHERE id = ?6 AND state = 'pending'
                """)
            defer { s.reset() }
            try s.bind(all: approve ? "approved" : "rejected", officer, now, reason, cursor, id)
            try s.step()
            return try repair(id: id, today: today)!
        }
    }
}
