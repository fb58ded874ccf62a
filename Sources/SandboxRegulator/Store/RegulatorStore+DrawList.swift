import SandboxCore
import SandboxStorage

// The console's list of draws (docs/console.md "双随机抽查").
extension StoreSession {
    /// The newest `limit` draws, newest first, with their count of results recorded; with
    /// `region`, only the draws limited to that division (a district bureau's own). Reads the
    /// kept division and size, never a draw's result JSON (a city draw's runs to megabytes).
    public func drawSummaries(region: String?, limit: Int) throws -> [DrawSummary] {
        let s = try database.prepare("""
            SELECT d.id, d.seed, d.as_of, d.created_at, d.created_by, d.published_at, d.region, d.drawn_count,
                   (SELECT COUNT(*) FROM inspection_results r WHERE r.draw_id = d.id)
            FROM draws d WHERE (?1 IS NULL OR d.region = ?1) ORDER BY d.id DESC LIMIT ?2
            """)
        defer { s.reset() }
        try s.bind(all: region, Int64(limit))
        var out: [DrawSummary] = []
        while try s.step() {
            out.append(DrawSummary(id: s.int64(0), seed: s.string(1) ?? "", asOf: s.string(2) ?? "", region: s.string(6),
                                   drawn: Int(s.int64OrNil(7) ?? 0), results: Int(s.int64(8)), createdAt: s.int64(3),
                                   createdBy: s.string(4) ?? "", publishedAt: s.int64OrNil(5)))
        }
        return out
    }
}
