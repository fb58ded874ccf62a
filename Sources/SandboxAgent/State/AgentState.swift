import SandboxCore
import SandboxPolicy
import SandboxStorage

/// The agent's durable state: imported records, findings, the file journal and the outbox queue.
///
/// One owner (the pipeline's task) calls it; it is deliberately not `Sendable`, because the
/// connection and its cached statements are used without locks. All times are passed in as
/// Unix seconds: nothing here reads a clock.
public final class AgentState {
    /// The connection, for stores that keep their own tables in the same file (the feed
    /// queue) so that their writes join the same transactions.
    public let database: Database
    let statements: Statements
    /// Feed queue entries of the current transaction level, written as one chunk row.
    let queueBuffer = FeedQueueBuffer()
    /// One queue entry per record per commit (see `FeedQueueCoalescer`).
    let coalescer = FeedQueueCoalescer()
    /// What the caller vouches for about the feed entries it queues now: `.first` when none of
    /// them can equal an entry queued earlier in the open commit (a merchant's first row in a
    /// merchants file), `.maybeRepeated` when one may. Set back to `.unknown` after.
    var feedKnowledge = FeedQueueCoalescer.Knowledge.unknown
    /// Audit events of the current transaction level, written as one chunk row.
    let auditBuffer = AuditBuffer()
    /// Whether a full chunk of the audit or the feed queue is compressed on a thread of its own
    /// (`ChunkCompression`) or here: a pass told to keep to one thread (`pass_threads = 1`) turns
    /// it off for its transaction.
    var compressesChunksApart = true
    /// Policy items of the current transaction level, written a batch at a time (`UpsertBatch`).
    let itemBatch = UpsertBatch<PolicyItemRow>(columns: 6, sql: AgentState.upsertItemsSQL, bind: AgentState.bind)
    /// Merchants' standings (`merchant_policy`) of the current level, the same way.
    let standingBatch = UpsertBatch<MerchantStandingRow>(columns: 14, sql: AgentState.upsertStandingsSQL, bind: AgentState.bind)
    /// The stored form of policy items and roster records (schema v11).
    let itemCodec = PolicyItemCodec()
    /// Set when a table the policy reads changed (merchants, licences, events, registry, findings):
    /// the outermost commit then bumps `policy.inputs_version`, which tells a running agent's
    /// policy runner that its columns in memory are stale.
    var factsChanged = false
    /// Rule snapshots read from `case_rules`, by their stored bytes: one per rule and pack, read
    /// for thousands of cases (`decodeCase`). Keyed by the bytes, so a snapshot is never taken for
    /// another; emptied when it holds more than a pack's worth.
    var caseRulesRead: [[UInt8]: CaseRuleSnapshot] = [:]
    /// Outermost commits since `takeCommitTally()`: the pipeline's view of a full disk.
    private var commits = CommitTally()
    public static let inputsVersionKey = "policy.inputs_version"

    /// What an upsert did.
    public enum UpsertOutcome: Sendable, Equatable {
        case inserted, updated, unchanged
    }

    /// What the WAL file is cut back to once a checkpoint has copied it all and the next write
    /// starts it over. Without a limit SQLite reuses the file at the largest size it ever had,
    /// and only the last connection's close removes it: the running service kept the 258 MB of
    /// a first ingest's WAL (230 MB after a pack's first pass) beside the state until it stopped.
    /// 32 MiB is four times SQLite's own checkpoint threshold (1,000 pages of 8 KiB), so a WAL
    /// that stays within that is never cut and grown again.
    static let walSizeLimit = 33_554_432

    /// The writer's page cache, and the larger one (than a pass's usual 4 MiB) a write of more than
    /// 100,000 decisions takes: a pack's first pass. The writer's usual 32 MiB holds most of what
    /// an ingest inserts into at random (the id and USCC indexes, the findings); with the
    /// look-ahead's 8 MiB it keeps an ingest under 100 MB (92 MiB), where 40 + 4 MiB read the same
    /// in time and took 96 MiB (docs/benchmarks.md, issue 16, session 24). A first pass writes its
    /// rows in key order (since session 26), so a page it spills is seldom dirtied again: with 16
    /// MiB it wrote 0.5 % more WAL pages than with 64 (4 MiB: 3 %), in the same time, and peaked at
    /// 226 MiB instead of 282 (issue 16, session 31). 256, then 64 MiB, dated from passes that
    /// wrote at random.
    static let writerCacheKiB = 32_768
    static let largeWriteCacheKiB = 16_384

    /// Sets the writer's page cache for a large write (`large`) or back to its usual size.
    func useLargeWriteCache(_ large: Bool) throws {
        try setPageCache(kiB: large ? Self.largeWriteCacheKiB : Self.writerCacheKiB)
    }

    /// The page cache for work that reads tables once through or writes a few thousand rows
    /// here and there: the policy's load, the daily re-verification, a policy pass (which takes
    /// the large cache when it writes more than 100,000 decisions). Their pages gain nothing
    /// from the writer's 32 MiB, kept for an ingest's index updates, and filling it was 35 MB of a
    /// steady day's 306 MB. A day with 34,153 changed cases wrote as fast with 4 MiB
    /// (docs/benchmarks.md, issue 16, session 23).
    static let smallCacheKiB = 4_096

    /// Sets this connection's page cache ceiling; pages over it are let go.
    func setPageCache(kiB: Int) throws {
        try database.execute("PRAGMA cache_size = -\(kiB)")
    }

    func withSmallPageCache<T>(_ body: () throws -> T) throws -> T {
        try setPageCache(kiB: Self.smallCacheKiB)
        defer { try? setPageCache(kiB: Self.writerCacheKiB) }
        return try body()
    }

    /// Opens or creates the state database at `path` and brings its schema up to date.
    ///
    /// `readOnly`: a reader beside the agent's writer (the pipeline's look-ahead, `status`): no
    /// migration, no write lock, and it sees the last committed state.
    /// `cacheKiB`: the page cache ceiling; nil takes 32 MiB for the pipeline's writer and 16 MiB
    /// for a reader.
    public init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 5_000, cacheKiB: Int? = nil) throws {
        database = try Database(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, readOnly: readOnly)
        // A first ingest or a pack's first pass commits hundreds of megabytes at once; the disk
        // takes them while the transaction works instead of all at its commit.
        if !readOnly {
            database.startsWritebackWhileWriting()
            try database.execute("PRAGMA journal_size_limit = \(Self.walSizeLimit)")
        }
        // A page cache is a ceiling, not a reservation. The writer's holds what an ingest inserts
        // into at random (`writerCacheKiB`); a reader only looks things up, and a small cache keeps
        // two connections under the memory budget of the agent.
        try database.execute("PRAGMA cache_size = -\(cacheKiB ?? (readOnly ? 16_384 : Self.writerCacheKiB)); PRAGMA temp_store = MEMORY;")
        if readOnly {
            let version = try database.userVersion
            guard version == StateSchema.migrations.count else {
                throw StateError.unreadable("state schema version", found: "\(version), this agent expects \(StateSchema.migrations.count)")
            }
        } else {
            try database.migrate(StateSchema.migrations)
        }
        statements = try Statements(database)
    }

    /// Runs `body` in one transaction: everything it wrote is committed together when it
    /// returns, or nothing when it throws. Calls may nest (inner levels are savepoints).
    ///
    /// Inside a transaction a failing call leaves its partial work for the enclosing
    /// transaction to roll back: let the error propagate, or wrap the call in a nested
    /// `transaction` when you mean to catch it and go on.
    ///
    /// Feed queue entries buffered by the body are written before its level commits; entries of
    /// an enclosing level are written before a savepoint starts, so the savepoint's rollback
    /// (which drops the buffer) cannot take them with it. A record queued twice in the commit is
    /// sent once (`coalesceFeedQueue`).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let outermost = !database.isInTransaction
        if !outermost { try flushPolicyBatches(); try flushFeedQueue(); try flushAudit() }
        defer { if outermost { coalescer.reset() } }
        do {
            let result = try database.transaction {
                let result = try body()
                try flushPolicyBatches()
                try flushFeedQueue()
                if outermost { try coalesceFeedQueue() }
                try flushAudit()
                if outermost && factsChanged { try bumpInputsVersion() }
                return result
            }
            if outermost { commits.succeeded += 1 }
            return result
        } catch {
            itemBatch.clear()
            standingBatch.clear()
            queueBuffer.clear()
            auditBuffer.clear()
            if outermost {
                factsChanged = false
                if SpaceShortage.isShortage(error) { commits.spaceFailure = error }
            }
            throw error
        }
    }

    /// The commits since the last call, and a fresh tally.
    func takeCommitTally() -> CommitTally {
        defer { commits = CommitTally() }
        return commits
    }

    /// Runs a multi-statement change atomically without the cost of a savepoint when a
    /// transaction is already open (see `transaction` for what that means on failure).
    func atomically<T>(_ body: () throws -> T) throws -> T {
        database.isInTransaction ? try body() : try transaction(body)
    }

    /// Runs a bound upsert and tells what it did: no change counted means the hash matched;
    /// otherwise a fresh rowid means an insert (an upsert's update leaves the rowid alone).
    /// RETURNING would say the same but costs SQLite an ephemeral table per call (~2x slower).
    func runUpsert(_ statement: Statement) throws -> UpsertOutcome {
        defer { statement.reset() }
        database.lastInsertRowID = 0
        try statement.step()
        if database.changes == 0 { return .unchanged }
        try noteFactsChanged()
        return database.lastInsertRowID != 0 ? .inserted : .updated
    }
}

extension AgentState {
    /// Marks the policy's inputs changed (bumped at the outermost commit, or now outside one).
    func noteFactsChanged() throws {
        factsChanged = true
        if !database.isInTransaction { try bumpInputsVersion() }
    }

    func bumpInputsVersion() throws {
        factsChanged = false
        let s = try database.prepare("""
            INSERT INTO agent_meta (key, value) VALUES (?1, '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
            """)
        defer { s.reset() }
        try s.bind(1, Self.inputsVersionKey)
        try s.step()
    }

    /// The current inputs version (0: never changed).
    public func inputsVersion() throws -> Int64 {
        Int64(try meta(Self.inputsVersionKey) ?? "0") ?? 0
    }
}

/// The statements on the hot path, prepared once so a call costs no cache lookup.
struct Statements {
    let upsertMerchant: Statement
    let upsertLicence: Statement
    let upsertEvent: Statement
    let upsertReceipt: Statement
    let upsertRegistry: Statement
    let selectFindingRows: Statement
    let insertFinding: Statement
    let updateFinding: Statement
    let deleteFinding: Statement
    let enqueueFeed: Statement

    init(_ db: Database) throws {
        upsertMerchant = try db.prepare(AgentState.upsertSQL(table: "merchants", columns: AgentState.merchantColumns,
                                                             key: ["platform_merchant_id"], extra: ["reverify_on"]))
        upsertLicence = try db.prepare(AgentState.upsertSQL(table: "licences", columns: AgentState.licenceColumns,
                                                            key: ["platform_merchant_id", "licence_type", "licence_no"]))
        upsertEvent = try db.prepare(AgentState.upsertSQL(table: "events", columns: AgentState.eventColumns,
                                                          key: ["event_id"]))
        upsertReceipt = try db.prepare(AgentState.upsertSQL(table: "receipts", columns: AgentState.receiptColumns,
                                                            key: ["receipt_id"]))
        upsertRegistry = try db.prepare(AgentState.upsertSQL(table: "registry", columns: AgentState.registryColumns,
                                                             key: ["uscc"]))
        selectFindingRows = try db.prepare("""
            SELECT code, severity, message, evidence_json, basis FROM findings
            WHERE platform_merchant_id = ? ORDER BY code
            """)
        insertFinding = try db.prepare("""
            INSERT INTO findings (platform_merchant_id, code, severity, message, evidence_json, basis,
                                  first_seen, last_seen)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            """)
        updateFinding = try db.prepare("""
            UPDATE findings SET severity = ?3, message = ?4, evidence_json = ?5, basis = ?6, last_seen = ?7
            WHERE platform_merchant_id = ?1 AND code = ?2
            """)
        deleteFinding = try db.prepare("DELETE FROM findings WHERE platform_merchant_id = ? AND code = ?")
        enqueueFeed = try db.prepare("INSERT INTO feed_queue (entries, count, queued_at) VALUES (?, ?, ?)")
    }
}

extension AgentState {
    /// `INSERT … ON CONFLICT DO UPDATE … WHERE content_hash IS NOT excluded.content_hash`: one
    /// statement that inserts (revision 1), updates (revision + 1) or, when the hash is the same,
    /// writes nothing. Parameters: the columns in order, then content_hash, then updated_at.
    /// The tables must be rowid tables (see `runUpsert`).
    /// `extra`: columns bound after `updated_at` that are the agent's own, not the export's (a
    /// merchant's `reverify_on`), written with the row.
    static func upsertSQL(table: String, columns: [String], key: [String], extra: [String] = []) -> String {
        let keyColumns = Set(key)
        let all = columns + ["content_hash", "updated_at"] + extra
        let placeholders = (1...all.count).map { "?\($0)" }.joined(separator: ", ")
        let assignments = all.filter { !keyColumns.contains($0) }.map { "\($0) = excluded.\($0)" }
        return """
            INSERT INTO \(table) (\(all.joined(separator: ", ")), revision) VALUES (\(placeholders), 1)
            ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(assignments.joined(separator: ", ")), revision = revision + 1
            WHERE content_hash IS NOT excluded.content_hash
            """
    }
}
