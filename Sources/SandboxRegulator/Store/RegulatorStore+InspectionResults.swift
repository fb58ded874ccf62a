import SandboxCore
import SandboxStorage
import SandboxWire

/// Why a result or publication was refused.
public enum InspectionRefusal: Error, Sendable, Equatable {
    case noSuchDraw
    case invalid(String)
}

// Inspection results of drawn subjects, and publishing a draw (一公开).
extension StoreSession {
    /// USCCs with a result recorded on or after `day` (the pack's interval_days before a draw).
    public func inspectedSince(_ day: CivilDate) throws -> Set<String> {
        let s = try database.prepare("SELECT DISTINCT uscc FROM inspection_results WHERE recorded_day >= ?")
        defer { s.reset() }
        try s.bind(all: day.description)
        var out = Set<String>()
        while try s.step() { if let u = s.string(0) { out.insert(u) } }
        return out
    }

    /// The stored draw's published JSON, with its publication time.
    public func draw(id: Int64) throws -> (result: JSONValue, publishedAt: Int64?)? {
        let s = try database.prepare("SELECT result, published_at FROM draws WHERE id = ?")
        defer { s.reset() }
        try s.bind(all: id)
        guard try s.step() else { return nil }
        return (JSONValue.parse(Array((s.string(0) ?? "null").utf8)) ?? .null, s.int64OrNil(1))
    }

    public func inspectionResults(drawID: Int64) throws -> [InspectionResult] {
        try inspectionResults(where: "draw_id = ? ORDER BY uscc") { try $0.bind(all: drawID) }
    }

    /// One enterprise's inspection results across draws, newest first (inspection_results_by_uscc).
    public func inspectionResults(uscc: String) throws -> [InspectionResult] {
        try inspectionResults(where: "uscc = ? ORDER BY recorded_day DESC, draw_id DESC") { try $0.bind(all: uscc) }
    }

    /// The results `condition` (and its order) selects, its parameters bound by `bind`.
    private func inspectionResults(where condition: String, _ bind: (any SQLStatement) throws -> Void) throws -> [InspectionResult] {
        let s = try database.prepare("""
            SELECT draw_id, uscc, result, follow_up, inspectors, recorded_by, recorded_at FROM inspection_results WHERE \(condition)
            """)
        defer { s.reset() }
        try bind(s)
        var out: [InspectionResult] = []
        while try s.step() {
            out.append(InspectionResult(drawID: s.int64(0), uscc: s.string(1) ?? "",
                                        result: InspectionResult.Outcome(rawValue: s.string(2) ?? "") ?? .pass,
                                        followUp: s.string(3), inspectors: s.string(4), recordedBy: s.string(5) ?? "",
                                        recordedAt: UTCTime.rfc3339(s.int64(6))))
        }
        return out
    }

    /// Records one drawn subject's result, once. A problem found returns to the platforms as an
    /// `event` directive (violation) for every storefront of the enterprise.
    public func recordInspectionResult(drawID: Int64, uscc: String, result: InspectionResult.Outcome, followUp: String?,
                                       inspectors: String?, officer: String, now: Int64) throws -> InspectionResult {
        try database.transaction {
            guard try drawHead(id: drawID) != nil else { throw InspectionRefusal.noSuchDraw }
            guard try drew(drawID: drawID, uscc: uscc) else { throw InspectionRefusal.invalid("\(uscc) was not drawn in draw \(drawID)") }
            if result == .problems, (followUp ?? "").isEmpty {
                throw InspectionRefusal.invalid("a result with problems needs its follow_up (责令整改, 立案 …)")
            }
            let s = try database.prepare("""
                INSERT INTO inspection_results (draw_id, uscc, result, follow_up, inspectors, recorded_by, recorded_at,
                                                recorded_day)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            defer { s.reset() }
            try s.bind(all: drawID, uscc, result.rawValue, followUp, inspectors, officer, now, CivilDate(unixTime: now).description)
            try s.step()
            guard database.changes == 1 else { throw InspectionRefusal.invalid("the result of \(uscc) in draw \(drawID) is recorded already") }
            if result == .problems {
                let payload = JSONValue.object([
                    "event_id": .string("REG-draw-\(drawID)-\(uscc)"), "event_type": .string("violation"),
                    "occurred_at": .string(UTCTime.rfc3339(now)), "severity": .string("general"),
                    "description": .string("双随机抽查发现问题：\(followUp ?? "")"), "draw_id": .int(drawID),
                    "source": .string("regulator"),
                ])
                try sendEvent(payload, uscc: uscc, now: now)
            }
            return try inspectionResults(where: "draw_id = ? AND uscc = ?") { try $0.bind(all: drawID, uscc) }[0]
        }
    }

    public func publishDraw(id: Int64, now: Int64) throws {
        try database.transaction {
            guard let stored = try drawHead(id: id) else { throw InspectionRefusal.noSuchDraw }
            guard stored.publishedAt == nil else { throw InspectionRefusal.invalid("draw \(id) is published already") }
            let s = try database.prepare("UPDATE draws SET published_at = ? WHERE id = ?")
            defer { s.reset() }
            try s.bind(all: now, id)
            try s.step()
        }
    }
}
