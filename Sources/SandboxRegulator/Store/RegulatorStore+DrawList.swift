import SandboxCore
import SandboxStorage

// The console's list of draws (docs/console.md "双随机抽查").
extension StoreSession {
    /// The newest `limit` draws, newest first, with their count of results recorded.
    public func drawSummaries(limit: Int) throws -> [DrawSummary] {
        let s = try database.prepare("""
            SELECT d.id, d.seed, d.as_of, d.created_at, d.created_by, d.published_at, d.result,
                   (SELECT COUNT(*) FROM inspection_results r WHERE r.draw_id = d.id)
            FROM draws d ORDER BY d.id DESC LIMIT ?
            """)
        defer { s.reset() }
        try s.bind(all: Int64(limit))
        var out: [DrawSummary] = []
        while try s.step() {
            let result = JSONValue.parse(Array((s.string(6) ?? "null").utf8)) ?? .null
            var drawn = 0
            if case .array(let subjects)? = result["drawn"] { drawn = subjects.count }
            out.append(DrawSummary(id: s.int64(0), seed: s.string(1) ?? "", asOf: s.string(2) ?? "",
                                   region: result["region"]?.stringValue, drawn: drawn, results: Int(s.int64(7)),
                                   createdAt: s.int64(3), createdBy: s.string(4) ?? "", publishedAt: s.int64OrNil(5)))
        }
        return out
    }
}
