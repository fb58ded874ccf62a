import SandboxCore
import SandboxStorage
import SandboxWire

// A draw's drawn enterprises as rows (`draw_subjects`, issue 14): the draw's page reads one page
// of them with their results, a result recorded checks one by its USCC — never the draw's whole
// result JSON, megabytes for a city draw.
extension StoreSession {
    /// Rows per INSERT: 8 parameters each, under both engines' parameter limits.
    static let drawSubjectsPerInsert = 500

    /// Stores a new draw's subjects (in storeDraw's transaction), several rows to a statement: a
    /// city draw of 40,000 is 80 statements, not 40,000 round trips to PostgreSQL.
    func storeDrawSubjects(_ draw: StoredDraw, id: Int64) throws {
        try storeSubjects(draw.subjects, into: "draw_subjects", key: "draw_id", id: id)
    }

    /// Subjects as rows of `table` (`draw_subjects`, or a prepared draw's
    /// `draw_preparation_subjects`), under `key` = `id`.
    func storeSubjects(_ subjects: [DrawSubject], into table: String, key: String, id: Int64) throws {
        var start = 0
        while start < subjects.count {
            let part = subjects[start..<min(subjects.count, start + Self.drawSubjectsPerInsert)]
            let values = (0..<part.count).map { n in "(" + (1...8).map { "?\(n * 8 + $0)" }.joined(separator: ", ") + ")" }
            let s = try database.prepare("""
                INSERT INTO \(table) (\(key), position, uscc, name, stratum, class, mode, inspectors)
                VALUES \(values.joined(separator: ", "))
                """)
            for (n, subject) in part.enumerated() {
                let base = Int32(n * 8)
                try s.bind(base + 1, id); try s.bind(base + 2, subject.position); try s.bind(base + 3, subject.uscc)
                try s.bind(base + 4, subject.name); try s.bind(base + 5, subject.stratum); try s.bind(base + 6, subject.creditClass)
                try s.bind(base + 7, subject.mode); try s.bind(base + 8, subject.inspectors)
            }
            try s.step()
            s.reset()
            start += part.count
        }
    }

    /// The draw's head, or nil when there is no such draw.
    public func drawHead(id: Int64) throws -> DrawHead? {
        let s = try database.prepare("""
            SELECT seed, as_of, pack_version, pack_serial, population_digest, population_count, region, drawn_count, strata, published_at,
                   (SELECT count(*) FROM inspection_results r WHERE r.draw_id = d.id)
            FROM draws d WHERE id = ?1
            """)
        defer { s.reset() }
        try s.bind(1, id)
        guard try s.step() else { return nil }
        return DrawHead(id: id, seed: s.string(0) ?? "", asOf: s.string(1) ?? "", packVersion: s.string(2) ?? "", packSerial: s.int64(3),
                        populationDigest: s.string(4) ?? "", populationCount: s.int(5), region: s.string(6), drawnCount: s.int(7),
                        strata: JSONValue.parse(Array((s.string(8) ?? "[]").utf8)) ?? .array([]), publishedAt: s.int64OrNil(9),
                        resultsRecorded: s.int(10))
    }

    /// Up to `limit` of the draw's subjects from `offset` in the order drawn, each with its result.
    public func drawSubjects(drawID: Int64, offset: Int, limit: Int) throws -> [DrawSubject] {
        let s = try database.prepare("""
            SELECT d.position, d.uscc, d.name, d.stratum, d.class, d.mode, d.inspectors,
                   r.result, r.follow_up, r.inspectors, r.recorded_by, r.recorded_at
            FROM draw_subjects d LEFT JOIN inspection_results r ON r.draw_id = d.draw_id AND r.uscc = d.uscc
            WHERE d.draw_id = ?1 AND d.position >= ?2
            ORDER BY d.position LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(all: drawID, offset, limit)
        var out: [DrawSubject] = []
        while try s.step() {
            let uscc = s.string(1) ?? ""
            let result = s.string(7).flatMap(InspectionResult.Outcome.init(rawValue:)).map {
                InspectionResult(drawID: drawID, uscc: uscc, result: $0, followUp: s.string(8), inspectors: s.string(9),
                                 recordedBy: s.string(10) ?? "", recordedAt: UTCTime.rfc3339(s.int64(11)))
            }
            out.append(DrawSubject(position: s.int(0), uscc: uscc, name: s.string(2) ?? "", stratum: s.string(3) ?? "",
                                   creditClass: s.string(4), mode: s.string(5) ?? "", inspectors: s.string(6) ?? "[]", result: result))
        }
        return out
    }

    /// Whether the draw drew the enterprise (one probe of `draw_subjects_by_uscc`).
    public func drew(drawID: Int64, uscc: String) throws -> Bool {
        let s = try database.prepare("SELECT 1 FROM draw_subjects WHERE draw_id = ?1 AND uscc = ?2")
        defer { s.reset() }
        try s.bind(all: drawID, uscc)
        return try s.step()
    }
}
