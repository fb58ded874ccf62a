import SandboxStorage

/// One batch's items written into `records`, and what that changed in the figures staff read
/// without scanning: records per platform and type, and the per-USCC enterprise view (how many
/// storefronts each platform has under each USCC, on how many platforms each enterprise trades).
/// The batch's keys are looked up at once; what each was decides what is written:
/// - new: inserted, counted;
/// - other content, not an older version (no version counts as 0): replaced — a late or replayed
///   batch rolls nothing back;
/// - same content under a newer version: the version moves on, so an older version with other
///   content that comes later is still refused;
/// - anything else: nothing.
/// Runs inside the feed's transaction, so the figures change exactly when the records do; so do
/// the lead queue's rows (`lead_queue`: each case's sort keys and places), the console search's
/// terms, the storefronts, closed storefronts and enterprises per division, and the outcome counts per day and
/// division (`outcome_counts`: a replaced record's old counts out, its new ones in).
struct FeedIntake {
    let session: StoreSession
    let now: Int64
    /// Records added per type.
    private(set) var added: [String: Int] = [:]
    /// Change in this platform's merchant count per USCC.
    private(set) var storefronts: [String: Int] = [:]
    /// Change in the USCC's storefronts still trading (not reported closed: StorefrontStatus).
    private(set) var trading: [String: Int] = [:]
    /// Change in the storefronts reported closed per division ('' without a USCC).
    private(set) var closedStorefronts: [String: Int] = [:]
    /// Enterprises whose storefronts this batch wrote (before and after a move), and the cases
    /// it wrote with their USCC: their rows of the lead queue are kept (`lead_queue`).
    private(set) var leadEnterprises: Set<String> = []
    private(set) var leadCases: [String: String?] = [:]
    /// Whether a stored storefront or case was replaced: only then can a case's places shrink.
    private(set) var leadPlacesMayShrink = false
    /// The console search's terms of the storefronts this batch wrote (SearchTerm).
    private(set) var searchTerms: Set<SearchTerm> = []
    /// Enterprises whose roster decision this batch may change (their storefronts, classes,
    /// roster proposals or cases were written), and the keys of class and roster items that
    /// name no USCC (they count for their storefront's).
    private(set) var rosterTouched: Set<String> = []
    private(set) var rosterKeysWithoutUSCC: Set<String> = []
    /// What the batch changes in the outcome counts, written once per key by commitFigures.
    private(set) var outcomeCounts = OutcomeCountDeltas()

    init(session: StoreSession, now: Int64) {
        self.session = session
        self.now = now
    }

    private var database: any SQLSession { session.database }

    /// Applies a batch's items (all of one platform), in order: a key given twice ends as the
    /// later says. Reads what the keys were in one go, decides here, writes each set in one go.
    mutating func apply(_ items: [FeedItem]) throws {
        guard let platformID = items.first?.platformID else { return }
        let writer = session.recordWriter
        var state = try writer.prior(platformID: platformID, keys: items.map { RecordKey(type: $0.kind.rawValue, key: $0.key) })
        let stored = Set(state.keys)
        var written: [RecordKey: FeedItem] = [:], order: [RecordKey] = []
        var versions: [RecordKey: Int64] = [:]
        var history: [FeedItem] = []  // every roster and case version written, in the batch's order
        for item in items {
            let k = RecordKey(type: item.kind.rawValue, key: item.key)
            let closed = StorefrontStatus.closed(kind: item.kind, data: item.dataJSON)
            let version = item.version ?? 0
            if let prior = state[k] {
                if prior.contentHash != item.contentHash, version >= prior.version {
                    if item.kind == .merchant || item.kind == .case { leadPlacesMayShrink = true }
                    if item.kind == .merchant, prior.uscc != item.uscc {
                        move(from: prior.uscc, to: item.uscc)
                        if let old = prior.uscc { rosterTouched.insert(old); leadEnterprises.insert(old) }
                    }
                    if item.kind == .merchant {
                        trade(prior.uscc, closed: prior.closed, sign: -1)
                        trade(item.uscc, closed: closed, sign: 1)
                    }
                } else {
                    if prior.contentHash == item.contentHash, version > prior.version {
                        state[k]?.version = version
                        if written[k] != nil { written[k]?.version = item.version } else { versions[k] = version }
                    }
                    continue
                }
            } else {
                added[item.kind.rawValue, default: 0] += 1
                if item.kind == .merchant { move(from: nil, to: item.uscc); trade(item.uscc, closed: closed, sign: 1) }
            }
            state[k] = PriorRecord(uscc: item.uscc, contentHash: item.contentHash, version: version, closed: closed)
            if written.updateValue(item, forKey: k) == nil { order.append(k) }
            versions[k] = nil
            if item.kind == .roster || item.kind == .case { history.append(item) }
            if item.kind == .merchant, let uscc = item.uscc { leadEnterprises.insert(uscc) }
            if item.kind == .case { leadCases[item.key] = item.uscc }
            if item.kind == .merchant, let uscc = item.uscc { searchTerms.formUnion(SearchTerm.storefront(item, uscc: uscc)) }
            switch item.kind {
            case .merchant, .class, .roster, .case:
                if let uscc = item.uscc { rosterTouched.insert(uscc) }
                else if item.kind != .case { rosterKeysWithoutUSCC.insert(item.key) }
            default: break
            }
        }
        try writer.appendHistory(history, now: now)
        try countOutcomes(platformID: platformID, order: order, written: written, stored: stored)
        try writer.insert(order.filter { !stored.contains($0) }.compactMap { written[$0] }, now: now)
        try writer.replace(order.filter { stored.contains($0) }.compactMap { written[$0] }, now: now)
        try writer.moveVersion(platformID: platformID, versions.sorted { ($0.key.type, $0.key.key) < ($1.key.type, $1.key.key) }
            .map { ($0.key, $0.value) })
    }

    /// The outcome counts move by what each written record counts now less what its stored
    /// version counted (read here, before the rows are replaced). Only the batch's last version
    /// of a key is written, and a version that changed nothing is not in `order`: a replay or an
    /// older version moves no count; a case rectified later moves from `leads` alone to `leads`
    /// and `rectified`.
    private mutating func countOutcomes(platformID: String, order: [RecordKey], written: [RecordKey: FeedItem],
                                        stored: Set<RecordKey>) throws {
        let counted = order.filter { OutcomeContribution.types.contains($0.type) }
        guard !counted.isEmpty else { return }
        let before = try session.recordWriter.storedData(platformID: platformID, keys: counted.filter { stored.contains($0) })
        for k in counted {
            if let item = written[k] { outcomeCounts.add(type: k.type, uscc: item.uscc, data: item.dataJSON, sign: 1) }
            if let old = before[k] { outcomeCounts.add(type: k.type, uscc: old.uscc, data: old.data, sign: -1) }
        }
    }

    private mutating func move(from old: String?, to new: String?) {
        if let old { storefronts[old, default: 0] -= 1 }
        if let new { storefronts[new, default: 0] += 1 }
    }

    /// A storefront of `uscc` still trading counts in (`sign` 1) or out (−1); a closed one counts
    /// in or out of its division's closed storefronts.
    private mutating func trade(_ uscc: String?, closed: Bool, sign: Int) {
        if let uscc, !closed { trading[uscc, default: 0] += sign }
        if closed { closedStorefronts[uscc.map(RegistrationDivision.of) ?? "", default: 0] += sign }
    }

    /// Writes the figures: records per type, this platform's storefronts per USCC, the lead
    /// queue's rows, the storefronts' search terms and the roster marks; then, last, the rows
    /// other platforms' batches write too — the number of platforms per enterprise (in USCC
    /// order), the new enterprises' search terms, the platform's counters, the per-division
    /// figures and the outcome counts (in key order). On PostgreSQL a row written stays locked
    /// until the commit, so a batch holds what another platform's batch may wait for only for
    /// the last few statements; ordered keys mean two batches wait rather than deadlock.
    func commitFigures(platformID: String) throws {
        let count = try database.prepare("""
            INSERT INTO record_counts (platform_id, type, records) VALUES (?1, ?2, ?3)
            ON CONFLICT (platform_id, type) DO UPDATE SET records = record_counts.records + ?3
            """)
        for (type, n) in added.sorted(by: { $0.key < $1.key }) {
            try count.bind(all: platformID, type, n)
            try count.step()
            count.reset()
        }
        let writer = session.recordWriter
        let moved = storefronts.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { (uscc: $0.key, delta: $0.value) }
        let storefrontsAfter = try writer.addStorefronts(platformID: platformID, moved)
        // A case filed under an enterprise whose storefronts were written is kept with them.
        let cases = leadCases.filter { $0.value.map { !leadEnterprises.contains($0) } ?? true }.keys.sorted()
        try writer.keepLeadQueue(platformID: platformID, caseKeys: cases, usccs: leadEnterprises.sorted(), pruning: leadPlacesMayShrink)
        try writer.addSearchTerms(searchTerms.sorted())
        var touched = rosterTouched
        if !rosterKeysWithoutUSCC.isEmpty {
            let storefront = try database.prepare("SELECT uscc FROM records WHERE platform_id = ?1 AND type = 'merchant' AND key = ?2")
            for key in rosterKeysWithoutUSCC.sorted() {
                try storefront.bind(all: platformID, key)
                if try storefront.step(), let uscc = storefront.string(0) { touched.insert(uscc) }
                storefront.reset()
            }
        }
        try writer.markRosterDirty(touched.sorted())

        // From here on, rows other platforms' batches write too.
        // A USCC's storefronts on this platform went from none to some (+1 platform) or back (−1);
        // its storefronts still trading moved by `trading`. One row per enterprise, in USCC order.
        var platformDeltas: [String: Int] = [:]
        for (uscc, delta) in moved {
            let after = storefrontsAfter[uscc] ?? 0, before = after - delta
            if before == 0 && after > 0 { platformDeltas[uscc] = 1 }
            if before > 0 && after == 0 { platformDeltas[uscc] = -1 }
        }
        let enterpriseDeltas = Set(platformDeltas.keys).union(trading.filter { $0.value != 0 }.keys).sorted()
            .map { EnterpriseDelta(uscc: $0, platforms: platformDeltas[$0] ?? 0, trading: trading[$0] ?? 0) }
        let enterprisesAfter = try writer.addEnterprises(enterpriseDeltas)
        // The same changes per division, for the outcome report's regions: storefronts moved,
        // enterprises that began or stopped having storefronts on any platform, and those whose
        // first storefront began trading or whose last closed (the report's `enterprises`).
        var divisionStorefronts: [String: Int] = [:], divisionEnterprises: [String: (enterprises: Int, trading: Int)] = [:]
        for (uscc, delta) in moved { divisionStorefronts[RegistrationDivision.of(uscc), default: 0] += delta }
        var distinct = 0, enterprises = 0
        var newEnterprises: [SearchTerm] = []
        for d in enterpriseDeltas {
            let after = enterprisesAfter[d.uscc] ?? (0, 0), division = RegistrationDivision.of(d.uscc)
            distinct += d.platforms
            if d.platforms == 1 && after.platforms == 1 {
                enterprises += 1
                divisionEnterprises[division, default: (0, 0)].enterprises += 1
                newEnterprises.append(.uscc(d.uscc))
            }
            if d.platforms == -1 && after.platforms == 0 {
                enterprises -= 1
                divisionEnterprises[division, default: (0, 0)].enterprises -= 1
            }
            let tradingBefore = after.trading - d.trading
            if tradingBefore <= 0 && after.trading > 0 { divisionEnterprises[division, default: (0, 0)].trading += 1 }
            if tradingBefore > 0 && after.trading <= 0 { divisionEnterprises[division, default: (0, 0)].trading -= 1 }
        }
        try writer.addSearchTerms(newEnterprises.sorted())
        if distinct != 0 || enterprises != 0 {
            let figures = try database.prepare("""
                UPDATE platform_counters SET distinct_uscc = distinct_uscc + ?2, enterprises_added = enterprises_added + ?3
                WHERE platform_id = ?1
                """)
            defer { figures.reset() }
            try figures.bind(all: platformID, distinct, enterprises)
            try figures.step()
        }
        // Last: every batch of a division's storefronts or cases updates the same few rows.
        try writer.addDivisionStorefronts(platformID: platformID, Self.changes(divisionStorefronts))
        try writer.addClosedStorefronts(Self.changes(closedStorefronts))
        try writer.addDivisionEnterprises(divisionEnterprises.filter { $0.value.enterprises != 0 || $0.value.trading != 0 }.sorted { $0.key < $1.key }
            .map { (division: $0.key, enterprises: $0.value.enterprises, trading: $0.value.trading) })
        try writer.addOutcomeCounts(outcomeCounts.changes)
    }

    /// Deltas that change something, in division order (the lock order on PostgreSQL).
    private static func changes(_ deltas: [String: Int]) -> [(division: String, delta: Int)] {
        deltas.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { (division: $0.key, delta: $0.value) }
    }
}
