import SandboxCore
import SandboxStorage
import SandboxWire

// Draws prepared in the background for the console's preview (issue 14, `draw_preparations`):
// asked for, taken by a node, kept alive by its heartbeat, prepared (or failed), then drawn —
// copied into `draws` inside the database, so the population the officer saw is the one stored
// and the megabytes of a city's population never pass through the node again.
extension StoreSession {
    /// A new preparation, waiting for its node; preparations older than a day go, and those
    /// prepared more than an hour ago and never drawn give back their population.
    public func openDrawPreparation(_ request: DrawPreparationRequest, createdBy: String, now: Int64) throws -> Int64 {
        try database.transaction {
            try forgetDrawPreparations(before: now - DrawPreparation.keptSeconds)
            try dropExpiredDrawPreparations(now: now)
            let s = try database.prepare("""
                INSERT INTO draw_preparations (created_by, created_at, heartbeat_at, state, phase, request, seed)
                VALUES (?1, ?2, ?2, 'preparing', 'queued', ?3, ?4) RETURNING id
                """)
            defer { s.reset() }
            try s.bind(all: createdBy, now, request.json, request.seed)
            try s.step()
            return s.int64(0)
        }
    }

    private func forgetDrawPreparations(before cutoff: Int64) throws {
        let subjects = try database.prepare("""
            DELETE FROM draw_preparation_subjects WHERE preparation_id IN (SELECT id FROM draw_preparations WHERE created_at < ?1)
            """)
        defer { subjects.reset() }
        try subjects.bind(all: cutoff)
        try subjects.step()
        let rows = try database.prepare("DELETE FROM draw_preparations WHERE created_at < ?1")
        defer { rows.reset() }
        try rows.bind(all: cutoff)
        try rows.step()
    }

    /// The population, result and drawn list of every preview prepared more than
    /// `DrawPreparation.validSeconds` ago and not drawn: 抽取 refuses them, so nothing reads them
    /// again, and a city's are tens of megabytes. The head stays for the page (it says to preview
    /// again) until the preparation is forgotten.
    public func dropExpiredDrawPreparations(now: Int64) throws {
        let cutoff = now - DrawPreparation.validSeconds
        let subjects = try database.prepare("""
            DELETE FROM draw_preparation_subjects WHERE preparation_id IN
                (SELECT id FROM draw_preparations WHERE state = 'ready' AND prepared_at < ?1)
            """)
        defer { subjects.reset() }
        try subjects.bind(all: cutoff)
        try subjects.step()
        let rows = try database.prepare("""
            UPDATE draw_preparations SET population = NULL, result = NULL
            WHERE state = 'ready' AND prepared_at < ?1 AND (population IS NOT NULL OR result IS NOT NULL)
            """)
        defer { rows.reset() }
        try rows.bind(all: cutoff)
        try rows.step()
    }

    /// The preparation with its progress and, once prepared, its head; nil when there is none.
    public func drawPreparation(id: Int64) throws -> DrawPreparation? {
        let s = try database.prepare("""
            SELECT created_by, created_at, heartbeat_at, state, phase, request, error, draw_id, prepared_at,
                   as_of, pack_version, pack_serial, population_digest, population_count, recently_inspected, drawn_count,
                   inspectors_count, strata
            FROM draw_preparations WHERE id = ?1
            """)
        defer { s.reset() }
        try s.bind(all: id)
        guard try s.step(), let request = DrawPreparationRequest(json: s.string(5) ?? "") else { return nil }
        let state = DrawPreparation.State(rawValue: s.string(3) ?? "") ?? .failed
        var prepared: DrawPreparation.Prepared?
        if let at = s.int64OrNil(8) {
            prepared = .init(preparedAt: at, asOf: s.string(9) ?? "", packVersion: s.string(10) ?? "", packSerial: s.int64(11),
                             populationDigest: s.string(12) ?? "", populationCount: s.int(13), recentlyInspected: s.int(14),
                             drawnCount: s.int(15), inspectorsCount: s.int(16),
                             strata: JSONValue.parse(Array((s.string(17) ?? "[]").utf8)) ?? .array([]))
        }
        return DrawPreparation(id: id, createdBy: s.string(0) ?? "", createdAt: s.int64(1), heartbeatAt: s.int64(2), state: state,
                               phase: DrawPreparation.Phase(rawValue: s.string(4) ?? "") ?? .queued, request: request,
                               error: s.string(6), drawID: s.int64OrNil(7), prepared: prepared)
    }

    /// Takes over a preparation whose node stopped beating: true for the one caller that gets it
    /// (the heartbeat is renewed in the same statement, so a second node's claim finds it fresh).
    public func claimStaleDrawPreparation(id: Int64, now: Int64) throws -> Bool {
        let s = try database.prepare("""
            UPDATE draw_preparations SET heartbeat_at = ?2, phase = 'queued'
            WHERE id = ?1 AND state = 'preparing' AND heartbeat_at < ?3 RETURNING id
            """)
        defer { s.reset() }
        try s.bind(all: id, now, now - DrawPreparation.staleSeconds)
        return try s.step()
    }

    /// The node is still at it; `phase` when it moved on.
    public func beatDrawPreparation(id: Int64, phase: DrawPreparation.Phase?, now: Int64) throws {
        let s = try database.prepare("""
            UPDATE draw_preparations SET heartbeat_at = ?2, phase = coalesce(?3, phase) WHERE id = ?1 AND state = 'preparing'
            """)
        defer { s.reset() }
        try s.bind(all: id, now, phase?.rawValue)
        try s.step()
    }

    /// The prepared draw, kept until 抽取; false when the preparation was finished already (two
    /// nodes made it after a takeover: the first one's stays, and both made the same draw).
    public func finishDrawPreparation(id: Int64, _ draw: StoredDraw, recentlyInspected: Int, inspectorsCount: Int,
                                      now: Int64) throws -> Bool {
        try database.transaction {
            let s = try database.prepare("""
                UPDATE draw_preparations SET state = 'ready', phase = 'done', heartbeat_at = ?2, prepared_at = ?2,
                    as_of = ?3, pack_version = ?4, pack_serial = ?5, population_digest = ?6, population = ?7, result = ?8,
                    region = ?9, drawn_count = ?10, strata = ?11, population_count = ?12, recently_inspected = ?13,
                    inspectors_count = ?14
                WHERE id = ?1 AND state = 'preparing' RETURNING id
                """)
            // The population and result are bound as copies (megabytes for a city): not kept.
            defer { s.reset(); s.clearBindings() }
            try s.bind(all: id, now, draw.asOf, draw.packVersion, draw.packSerial, draw.populationDigest, draw.population,
                       draw.resultJSON, draw.region, draw.drawnCount, draw.strata, draw.populationCount, recentlyInspected,
                       inspectorsCount)
            guard try s.step() else { return false }
            s.reset()
            try storeSubjects(draw.subjects, into: "draw_preparation_subjects", key: "preparation_id", id: id)
            return true
        }
    }

    /// The preparation could not be made; `error` is shown to the officer.
    public func failDrawPreparation(id: Int64, error: String, now: Int64) throws {
        let s = try database.prepare("""
            UPDATE draw_preparations SET state = 'failed', heartbeat_at = ?2, error = ?3 WHERE id = ?1 AND state = 'preparing'
            """)
        defer { s.reset() }
        try s.bind(all: id, now, error)
        try s.step()
    }

    /// 抽取: the prepared draw stored in `draws` as `actor`'s, once. Only the officer who asked
    /// for it may draw it (another's is "not found", as the page is); a second 抽取 of the same
    /// preview answers with the draw the first one stored.
    public func drawFromPreparation(id: Int64, actor: String, now: Int64) throws -> DrawFromPreparation {
        try database.transaction {
            guard let p = try drawPreparation(id: id), p.createdBy == actor else { return .notFound }
            switch p.state {
            case .drawn: return p.drawID.map(DrawFromPreparation.drawn) ?? .notFound
            case .preparing, .failed: return .notReady(p.state)
            case .ready: break
            }
            guard let prepared = p.prepared, prepared.preparedAt >= now - DrawPreparation.validSeconds else { return .expired }
            let draw = try database.prepare("""
                INSERT INTO draws (seed, as_of, pack_version, pack_serial, population_digest, population, result, created_at, created_by,
                                   region, drawn_count, strata, population_count)
                SELECT seed, as_of, pack_version, pack_serial, population_digest, population, result, ?2, created_by,
                       region, drawn_count, strata, population_count
                FROM draw_preparations WHERE id = ?1 RETURNING id
                """)
            defer { draw.reset() }
            try draw.bind(all: id, now)
            try draw.step()
            let drawID = draw.int64(0)
            draw.reset()
            let subjects = try database.prepare("""
                INSERT INTO draw_subjects (draw_id, position, uscc, name, stratum, class, mode, inspectors)
                SELECT ?2, position, uscc, name, stratum, class, mode, inspectors FROM draw_preparation_subjects WHERE preparation_id = ?1
                """)
            defer { subjects.reset() }
            try subjects.bind(all: id, drawID)
            try subjects.step()
            let moved = try database.prepare("DELETE FROM draw_preparation_subjects WHERE preparation_id = ?1")
            defer { moved.reset() }
            try moved.bind(all: id)
            try moved.step()
            // The population and result now live in `draws`; the row stays to answer a second 抽取.
            let drawn = try database.prepare("""
                UPDATE draw_preparations SET state = 'drawn', draw_id = ?2, population = NULL, result = NULL WHERE id = ?1
                """)
            defer { drawn.reset() }
            try drawn.bind(all: id, drawID)
            try drawn.step()
            return .drawn(drawID)
        }
    }
}
