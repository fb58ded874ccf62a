import SandboxStorage

extension StoreSession {
    /// Counters and record counts, in total and per platform.
    /// What /metrics shows, from the counters and a covering-index count only: `stats()` also
    /// counts distinct USCCs per platform, which reads every merchant row (2.3 s at 469,000
    /// merchants) — too long to hold the store on every scrape, when feeds and polls wait behind it.
    public func metricsStats() throws -> PlatformStats {
        var total = PlatformStats()
        let counters = try database.prepare("""
            SELECT SUM(batches_accepted), SUM(batches_duplicate), SUM(items_accepted), SUM(items_rejected) FROM platform_counters
            """)
        defer { counters.reset() }
        if try counters.step() {
            total.batchesAccepted = counters.int(0); total.batchesDuplicate = counters.int(1)
            total.itemsAccepted = counters.int(2); total.itemsRejected = counters.int(3)
        }
        total.merchantRecords = Int(try database.int64("SELECT COUNT(*) FROM records WHERE type = 'merchant'") ?? 0)
        return total
    }

    /// GET /v1/admin/stats: everything, per platform (staff ask for it; it takes seconds at scale).
    public func stats() throws -> RegulatorStats {
        var platforms: [String: PlatformStats] = [:]
        var total = PlatformStats()
        let counters = try database.prepare("""
            SELECT platform_id, batches_accepted, batches_duplicate, items_accepted, items_rejected FROM platform_counters
            """)
        defer { counters.reset() }
        while try counters.step() {
            let id = counters.string(0) ?? ""
            var p = platforms[id] ?? PlatformStats()
            p.batchesAccepted = counters.int(1); p.batchesDuplicate = counters.int(2)
            p.itemsAccepted = counters.int(3); p.itemsRejected = counters.int(4)
            platforms[id] = p
            total.batchesAccepted += p.batchesAccepted; total.batchesDuplicate += p.batchesDuplicate
            total.itemsAccepted += p.itemsAccepted; total.itemsRejected += p.itemsRejected
        }
        let records = try database.prepare("""
            SELECT platform_id, COUNT(*), COUNT(DISTINCT uscc) FROM records WHERE type = 'merchant' GROUP BY platform_id
            """)
        defer { records.reset() }
        while try records.step() {
            let id = records.string(0) ?? ""
            var p = platforms[id] ?? PlatformStats()
            p.merchantRecords = records.int(1); p.distinctUSCC = records.int(2)
            platforms[id] = p
            total.merchantRecords += p.merchantRecords
        }
        let byType = try database.prepare("SELECT platform_id, type, COUNT(*) FROM records GROUP BY platform_id, type")
        defer { byType.reset() }
        while try byType.step() {
            let id = byType.string(0) ?? "", type = byType.string(1) ?? ""
            platforms[id, default: PlatformStats()].recordsByType[type] = byType.int(2)
            total.recordsByType[type, default: 0] += byType.int(2)
        }
        // Across platforms one enterprise counts once, whoever filed it.
        total.distinctUSCC = Int(try database.int64(
            "SELECT COUNT(DISTINCT uscc) FROM records WHERE type = 'merchant' AND uscc IS NOT NULL") ?? 0)
        return RegulatorStats(total: total, platforms: platforms)
    }
}
