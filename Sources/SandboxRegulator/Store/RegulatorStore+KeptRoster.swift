import SandboxCore
import SandboxStorage
import SandboxWire

// The regulator's roster decision per enterprise, kept (`regulator_roster`, schema step 18)
// instead of computed for the whole city on every read: the outcome figures count members from
// it, and its changes are what the regulator will push to the platforms (issue 12).
//
// Everything that can change a decision marks the enterprise in `roster_dirty` in its own
// transaction — the intake (roster, class, case and merchant items), the registry import, a
// staff override, a repair that clears a list flag, a new rule pack (all of them) — and a hold
// that ends by time is due at its `recheck_at`. `RosterKeeper` decides the marked ones in the
// background; a read never waits for it, it decides the few still marked itself.
extension StoreSession {
    /// Marks enterprises for a new decision (in the caller's transaction).
    func markRosterDirty(_ usccs: [String]) throws {
        try recordWriter.markRosterDirty(usccs.sorted())
    }

    /// The most marked or due enterprises a read decides itself. Right after a large load the
    /// keeper has hundreds of thousands still to decide (321,156 after 469,000 merchants on
    /// PostgreSQL, where it gives way to the intake): deciding them all in the read made the
    /// first dashboard after the load take 104 s. Past this many the read counts their kept
    /// decisions and says how many are still undecided; the keeper catches up within a minute.
    static let rosterDecidedByARead = 2_000

    /// The most marked or due enterprises of a place a read lists. After the national load the
    /// keeper had 18.3 million marks: listing them all to decide 2,000 kept the outcome figures
    /// from answering in 9 minutes (docs/benchmarks.md, session 20). Past this many the read
    /// decides none of them (2,000 of a backlog that size would change nothing one can read) and
    /// says there are more than this many.
    static let rosterBacklogReadByARead = 20_000

    /// Members of the roster, in a region (division prefix of 2, 4 or 6 digits) or everywhere,
    /// as of `now`: the kept decisions that are current, and the marked or due ones decided here
    /// — at most `limit` of them; `undecided`: how many more there were, counted as kept. When
    /// the place has more than `backlogBound` marked or due, none is decided here, `undecided` is
    /// that bound and `undecidedIsMore` says the backlog is larger.
    func keptRosterMembers(region: String?, now: Int64, decidingAtMost limit: Int = rosterDecidedByARead,
                           readingAtMost backlogBound: Int = rosterBacklogReadByARead) throws -> RosterMemberCount {
        // The kept members of the place are summed from the counts the keeper keeps per division
        // (`roster_member_counts`; a region by its divisions, RegionDivisions): counting the
        // members' partial index took 60–80 ms of CPU for the city's 149,390 members on SQLite,
        // most of the city dashboard's time. The few kept
        // decisions that are not current — marked, or due for a recheck — are then taken out by
        // key and decided here. Checking "current" on every member's row instead (its recheck
        // time, a probe of the marks) read 130,000 rows for the city at 469,000 merchants.
        let divisions = region.map(RegionDivisions.init)
        let kept = try database.prepare("""
            SELECT coalesce(sum(members), 0) FROM roster_member_counts r
            WHERE \(divisions?.condition("r.division", first: 1) ?? "TRUE")
            """)
        defer { kept.reset() }
        for (n, value) in (divisions?.values ?? []).enumerated() { try kept.bind(Int32(n + 1), value) }
        var members = try kept.step() ? kept.int(0) : 0
        let backlog = try staleRosterEntries(region: region, now: now, atMost: backlogBound)
        guard backlog.complete else {
            return RosterMemberCount(members: members, undecided: backlogBound, undecidedIsMore: true)
        }
        let stale = try database.prepare("SELECT member, division FROM regulator_roster WHERE uscc = ?1")
        for uscc in backlog.usccs.prefix(limit) {
            try stale.bind(1, uscc)
            let counted = try stale.step() && stale.int(0) == 1 && (region.map { (stale.string(1) ?? "").hasPrefix($0) } ?? true)
            stale.reset()
            if counted { members -= 1 }
            if try roster(uscc: uscc, now: now).first?.member == true { members += 1 }
        }
        return RosterMemberCount(members: members, undecided: max(0, backlog.usccs.count - limit), undecidedIsMore: false)
    }

    /// Whether any enterprise is marked or due for a recheck (RosterKeeper's question before it
    /// takes a write turn).
    public func rosterWorkDue(now: Int64) throws -> Bool {
        let s = try database.prepare("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM roster_dirty) OR EXISTS (SELECT 1 FROM regulator_roster WHERE recheck_at <= ?1) THEN 1 ELSE 0 END
            """)
        defer { s.reset() }
        try s.bind(1, now)
        return try s.step() && s.int(0) != 0
    }

    /// Enterprises of `region` (a division prefix; nil: everywhere) whose kept decision is not
    /// current — marked, or due for a recheck — at most `bound` of them; `complete` when those
    /// are all. Each list is read through its index and stops at the bound: the marks in USCC
    /// order, a region's as one range of the marks' index per USCC prefix (RosterMarkRanges),
    /// the due ones in `recheck_at` order.
    func staleRosterEntries(region: String?, now: Int64, atMost bound: Int) throws -> (usccs: [String], complete: Bool) {
        var found = Set<String>()
        var complete = true
        for range in try rosterMarkRanges(region: region) {
            let marks = try database.prepare("""
                SELECT DISTINCT uscc FROM roster_dirty WHERE uscc >= ?1 \(range.before == nil ? "" : "AND uscc < ?3")
                ORDER BY uscc LIMIT ?2
                """)
            defer { marks.reset() }
            let asked = bound + 1 - found.count
            try marks.bind(all: range.from, asked)
            if let before = range.before { try marks.bind(3, before) }
            var read = 0
            while try marks.step() {
                read += 1
                guard let u = marks.string(0) else { continue }
                if region.map({ (USCC.divisionCode(u) ?? "").hasPrefix($0) }) ?? true { found.insert(u) }
            }
            // A range read to its limit may hold more (all of them the place's, or not known).
            if read == asked { complete = false; break }
        }
        if complete {
            let due = try database.prepare("""
                SELECT uscc, division FROM regulator_roster WHERE recheck_at <= ?1 ORDER BY recheck_at LIMIT ?2
                """)
            defer { due.reset() }
            try due.bind(all: now, bound + 1)
            var read = 0
            while try due.step() {
                read += 1
                guard let u = due.string(0) else { continue }
                if region.map({ (due.string(1) ?? "").hasPrefix($0) }) ?? true { found.insert(u) }
            }
            // Past the bound in either list the place's backlog is larger than the bound (or,
            // for the due ones of another place, not known to be smaller).
            if read > bound || found.count > bound { complete = false }
        }
        return (found.sorted(), complete)
    }

    /// The ranges of the marks' index that hold `region`'s enterprises: one per two-character
    /// start the marks hold, found by seeking past each start in turn (a loose index scan, one
    /// seek a start; a handful in real data). Past `rosterMarkStartsSought` starts — USCCs that
    /// are not — every mark, to be filtered by the caller.
    func rosterMarkRanges(region: String?) throws -> [RosterMarkRange] {
        guard let region else { return [.all] }
        let divisions = RegionDivisions(region)
        let first = try database.prepare("SELECT min(uscc) FROM roster_dirty WHERE uscc >= ?1")
        defer { first.reset() }
        var ranges: [RosterMarkRange] = []
        var from: String? = ""
        while let seek = from {
            guard ranges.count < Self.rosterMarkStartsSought else { return [.all] }
            try first.bind(1, seek)
            guard try first.step(), let uscc = first.string(0) else { break }
            first.reset()
            let start = RosterMarkRange.start(of: uscc)
            ranges.append(RosterMarkRange(start: start, region: divisions))
            from = RosterMarkRange.past(start)
        }
        return ranges
    }

    /// Every start of a valid USCC: 36 × 36 characters, and more than real data holds.
    static let rosterMarkStartsSought = 1_296

    /// Decides up to `limit` marked or due enterprises, keeps the decisions and sends the
    /// verdicts they call for (RosterVerdicts); how many it decided (fewer than `limit`: nothing
    /// is left), the directives sent, and where the next turn takes up the marks.
    ///
    /// The marks are taken out first, in this transaction, and the turn decides the enterprises
    /// whose marks it deleted: a mark an intake commits after the delete is another row (on
    /// PostgreSQL `roster_dirty` has no unique key, so an intake never waits for this transaction)
    /// that it leaves, so a decision is never kept on data older than its mark; and two nodes'
    /// keepers that chose the same marks decide them once (the second finds them gone).
    ///
    /// A turn reads only its own marks: the first `limit` enterprises past `after` in the marks'
    /// index, then the delete of that range of it. A delete of the marks "in" the first `limit`
    /// was planned on PostgreSQL as a hash join over every mark once fewer than a few hundred
    /// thousand were left (at 150,000, 105 ms a turn against 2 ms); and from the start of the
    /// index every turn stepped over the entries of the marks the earlier turns had deleted, which
    /// PostgreSQL keeps until a vacuum (docs/benchmarks.md, issue 15).
    public func refreshRoster(limit: Int, now: Int64, after: String = "") throws -> RosterRefresh {
        try database.transaction {
            let chosen = try database.prepare("SELECT DISTINCT uscc FROM roster_dirty WHERE uscc > ?1 ORDER BY uscc LIMIT ?2")
            try chosen.bind(all: after, limit)
            var candidates: [String] = []
            while try chosen.step() { if let u = chosen.string(0) { candidates.append(u) } }
            chosen.reset()
            var usccs: [String] = []
            if let last = candidates.last {
                let take = try database.prepare("DELETE FROM roster_dirty WHERE uscc > ?1 AND uscc <= ?2 RETURNING uscc")
                try take.bind(all: after, last)
                var taken = Set<String>()
                while try take.step() { if let u = take.string(0) { taken.insert(u) } }
                take.reset()
                usccs = taken.sorted()
            }
            // A full turn goes on past its last mark; a short one has reached the end of the
            // marks, and the next starts again from the first (marks made behind it meanwhile).
            let next = candidates.count == limit ? candidates.last : nil
            if usccs.count < limit {
                let due = try database.prepare("SELECT uscc FROM regulator_roster WHERE recheck_at <= ?1 ORDER BY uscc LIMIT ?2")
                try due.bind(all: now, limit - usccs.count)
                while try due.step() { if let u = due.string(0), !usccs.contains(u) { usccs.append(u) } }
                due.reset()
            }
            // The whole turn's enterprises in sets: each input read once, each table written once
            // (about ten round trips per enterprise on PostgreSQL before).
            let decided = usccs.sorted()
            let entries = try roster(.some(decided), now: now)
            try keepRosterDecisions(decided, entries, now: now)
            try keepRosterPlaces(decided, onRoster: Set(entries.map(\.uscc)))
            let verdicts = try sendRosterVerdicts(entries, now: now)
            return RosterRefresh(decided: usccs.count, verdicts: verdicts, after: next)
        }
    }

    /// Keeps the decisions of `entries` and forgets those of `usccs` no longer on the union
    /// roster: a delete and an upsert for the set, the rows passed as one JSON array.
    private func keepRosterDecisions(_ usccs: [String], _ entries: [RosterEntry], now: Int64) throws {
        // The members per division (`roster_member_counts`) move by what this turn changes: the
        // members among `usccs` before, taken away; the members among `entries`, added.
        var members: [String: Int] = [:]
        for division in try keptMemberDivisions(usccs) { members[division, default: 0] -= 1 }
        for entry in entries where entry.member { members[USCC.divisionCode(entry.uscc) ?? "", default: 0] += 1 }
        try writeRosterDecisions(usccs, entries, now: now)
        try addRosterMembers(members)
    }

    /// The division of each of `usccs` kept as a member now.
    private func keptMemberDivisions(_ usccs: [String]) throws -> [String] {
        guard !usccs.isEmpty else { return [] }
        let s = try database.prepare("SELECT division FROM regulator_roster WHERE member = 1 AND \(condition("uscc", .some(usccs), 1))")
        defer { s.reset() }
        try s.bind(1, USCCSelection.some(usccs).parameter)
        var out: [String] = []
        while try s.step() { out.append(s.string(0) ?? "") }
        return out
    }

    /// Adds each division's change to its kept member count, in the divisions' order (two
    /// nodes' keepers on PostgreSQL then take the counts' rows in one order: never a deadlock).
    private func addRosterMembers(_ change: [String: Int]) throws {
        let moved = change.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        guard !moved.isEmpty else { return }
        let rows = JSONValue.array(moved.map { .object(["division": .string($0.key), "members": .int(Int64($0.value))]) })
        let s = try database.prepare("""
            INSERT INTO roster_member_counts (division, members)
            SELECT json_extract(e.value, '$.division'), CAST(json_extract(e.value, '$.members') AS BIGINT)
            FROM \(dialect.jsonObjects(1)) AS e WHERE TRUE
            ON CONFLICT (division) DO UPDATE SET members = roster_member_counts.members + excluded.members
            """)
        defer { s.reset() }
        try s.bind(all: rows.jsonText)
        try s.step()
    }

    /// The delete and the upsert of `keepRosterDecisions`.
    private func writeRosterDecisions(_ usccs: [String], _ entries: [RosterEntry], now: Int64) throws {
        let onRoster = Set(entries.map(\.uscc))
        let gone = usccs.filter { !onRoster.contains($0) }
        if !gone.isEmpty {
            let forget = try database.prepare("DELETE FROM regulator_roster WHERE \(condition("uscc", .some(gone), 1))")
            defer { forget.reset() }
            try forget.bind(1, USCCSelection.some(gone).parameter)
            try forget.step()
        }
        guard !entries.isEmpty else { return }
        // A removal in force ends at its hold: decided again then.
        let hold = try database.prepare("""
            SELECT uscc, max(hold_until) FROM roster_overrides WHERE \(condition("uscc", .some([]), 1)) AND hold_until > ?2
            GROUP BY uscc
            """)
        try hold.bind(all: USCCSelection.some(entries.map(\.uscc)).parameter, now)
        var recheck: [String: Int64] = [:]
        while try hold.step() { if let u = hold.string(0), let until = hold.int64OrNil(1) { recheck[u] = until } }
        hold.reset()
        // Text columns holding JSON travel as strings, so each engine stores the text as written.
        let rows = JSONValue.array(entries.map { entry in
            .object([
                "uscc": .string(entry.uscc), "member": .int(entry.member ? 1 : 0),
                "member_since": entry.memberSince.map(JSONValue.string) ?? .null,
                "division": .string(USCC.divisionCode(entry.uscc) ?? ""),
                "reasons": .string(JSONValue.array(entry.notMemberBecause.map(JSONValue.string)).jsonText),
                "recheck_at": recheck[entry.uscc].map(JSONValue.int) ?? .null,
                "worst_class": entry.worstClass.map(JSONValue.string) ?? .null,
                "proposed_by": .string(JSONValue.array(Array(Set(entry.proposedBy)).sorted().map(JSONValue.string)).jsonText),
            ])
        })
        let keep = try database.prepare("""
            INSERT INTO regulator_roster (uscc, member, member_since, division, reasons, recheck_at, decided_at, worst_class, proposed_by)
            SELECT json_extract(e.value, '$.uscc'), CAST(json_extract(e.value, '$.member') AS INTEGER),
                   json_extract(e.value, '$.member_since'), json_extract(e.value, '$.division'), json_extract(e.value, '$.reasons'),
                   CAST(json_extract(e.value, '$.recheck_at') AS BIGINT), ?2, json_extract(e.value, '$.worst_class'),
                   json_extract(e.value, '$.proposed_by')
            FROM \(dialect.jsonObjects(1)) AS e WHERE TRUE
            ON CONFLICT (uscc) DO UPDATE SET member = excluded.member, member_since = excluded.member_since,
                reasons = excluded.reasons, recheck_at = excluded.recheck_at, decided_at = excluded.decided_at,
                worst_class = excluded.worst_class, proposed_by = excluded.proposed_by
            """)
        defer { keep.reset() }
        try keep.bind(all: rows.jsonText, now)
        try keep.step()
    }
}
