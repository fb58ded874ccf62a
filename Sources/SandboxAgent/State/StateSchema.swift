/// The agent's state schema, one migration per released version (`PRAGMA user_version`).
///
/// Storage choices, fixed by migration 1 (change only by a new migration):
/// - Dates (`CivilDate`) are TEXT `YYYY-MM-DD`: readable with the `sqlite3` shell, and they
///   sort and compare correctly as text. Instants are INTEGER Unix seconds.
/// - Enums are stored by their English raw value; booleans as INTEGER 0/1; money in fen.
/// - Every imported row carries `content_hash` (the `ContentHash.signed` of its export values),
///   so an unchanged row is never written, and `revision` (1 on insert, +1 per real change).
///   Imported tables stay rowid tables: `AgentState.runUpsert` tells an insert by its new rowid.
/// - No foreign keys between imported tables: a platform may deliver licences before the
///   merchants they belong to, and the agent must accept both.
enum StateSchema {
    static let migrations: [String] = [version1, version2, version3, version4]

    /// The audit trail: every decision and instruction (findings changed, directives received,
    /// receipts, and the policy's decisions to come), append-only. Events are written in chunk
    /// rows of up to 4,096 JSON Lines, in the transaction of the change they record — a first
    /// ingest's ~160,000 findings events cost the ingest next to nothing that way — and the
    /// triggers refuse any UPDATE or DELETE, so no code path can rewrite history.
    static let version4 = """
        CREATE TABLE audit_chunks (
            seq      INTEGER PRIMARY KEY,
            first_at INTEGER NOT NULL,
            last_at  INTEGER NOT NULL,
            count    INTEGER NOT NULL,
            entries  BLOB NOT NULL
        );
        CREATE TRIGGER audit_chunks_no_update BEFORE UPDATE ON audit_chunks
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_chunks_no_delete BEFORE DELETE ON audit_chunks
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """

    /// The regulator link (docs/sync.md): the feed queue filled in the transaction of the change
    /// that caused it, the frozen batches waiting for the regulator, and the directives received.
    static let version3 = """
        -- Changed records (and changed findings sets) not yet in a batch, in the order of the
        -- changes: each row is a chunk of up to 4,096 entries (FeedQueueChunk encodes them), so a
        -- 469,000-merchant file appends ~150 rows instead of 627,000 (one row per change cost
        -- the ingest 2 s, docs/benchmarks.md). Written in the transaction of the changes; a batch
        -- takes entries from the oldest chunks and rewrites or deletes them in its own.
        CREATE TABLE feed_queue (
            seq       INTEGER PRIMARY KEY,
            entries   BLOB NOT NULL,
            count     INTEGER NOT NULL,
            queued_at INTEGER NOT NULL
        );

        -- A batch is frozen (body rendered and gzipped) before its first attempt, so every retry
        -- sends the same bytes under the same Idempotency-Key. 'dead': the regulator refused it
        -- for good (a 4xx other than 401/403/408/429); kept for the operator, never dropped.
        CREATE TABLE feed_batches (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            id              TEXT NOT NULL UNIQUE,
            endpoint        TEXT NOT NULL CHECK (endpoint IN ('feeds', 'receipts')),
            items           INTEGER NOT NULL,
            raw_bytes       INTEGER NOT NULL,
            body            BLOB NOT NULL,
            created_at      INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            state           TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'dead'))
        );

        -- Directives written to the outbox; the id makes a directive seen twice (after a crash
        -- between the file and the cursor) a no-op.
        CREATE TABLE directives (
            id                   TEXT PRIMARY KEY NOT NULL,
            cursor               INTEGER NOT NULL,
            type                 TEXT NOT NULL,
            platform_merchant_id TEXT,
            uscc                 TEXT,
            file_name            TEXT NOT NULL,
            received_at          INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// Small facts the agent keeps between runs (the day of the last calendar re-verification).
    static let version2 = """
        CREATE TABLE agent_meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """

    static let version1 = """
        CREATE TABLE merchants (
            platform_merchant_id TEXT PRIMARY KEY NOT NULL,
            shop_name            TEXT NOT NULL,
            entity_type          TEXT NOT NULL,
            uscc                 TEXT,
            registered_name      TEXT,
            legal_representative TEXT,
            registered_address   TEXT,
            displayed_name       TEXT,
            displayed_uscc       TEXT,
            displayed_address    TEXT,
            licence_displayed    INTEGER,
            category             TEXT NOT NULL,
            small_scale_declared INTEGER,
            annual_turnover_fen  INTEGER,
            verified_at          TEXT,
            opened_at            TEXT,
            status               TEXT,
            complaints_90d       INTEGER,
            region_code          TEXT,
            content_hash         INTEGER NOT NULL,
            revision             INTEGER NOT NULL,
            updated_at           INTEGER NOT NULL
        );
        -- Natural persons without a code stay out of the index; `uscc = ?` still uses it.
        CREATE INDEX merchants_uscc ON merchants (uscc) WHERE uscc IS NOT NULL;

        -- The primary key starts with platform_merchant_id, so it serves lookups by merchant;
        -- a separate index on that column would only slow inserts.
        CREATE TABLE licences (
            platform_merchant_id TEXT NOT NULL,
            licence_type         TEXT NOT NULL,
            licence_no           TEXT NOT NULL,
            holder_name          TEXT,
            valid_from           TEXT,
            valid_to             TEXT,
            issuer               TEXT,
            content_hash         INTEGER NOT NULL,
            revision             INTEGER NOT NULL,
            updated_at           INTEGER NOT NULL,
            PRIMARY KEY (platform_merchant_id, licence_type, licence_no)
        );

        CREATE TABLE events (
            event_id             TEXT PRIMARY KEY NOT NULL,
            platform_merchant_id TEXT NOT NULL,
            event_type           TEXT NOT NULL,
            occurred_at          INTEGER NOT NULL,
            severity             TEXT,
            description          TEXT,
            content_hash         INTEGER NOT NULL,
            revision             INTEGER NOT NULL,
            updated_at           INTEGER NOT NULL
        );
        CREATE INDEX events_merchant ON events (platform_merchant_id, occurred_at);

        CREATE TABLE receipts (
            receipt_id           TEXT PRIMARY KEY NOT NULL,
            instruction_id       TEXT NOT NULL,
            platform_merchant_id TEXT NOT NULL,
            action               TEXT NOT NULL,
            at                   INTEGER NOT NULL,
            note                 TEXT,
            content_hash         INTEGER NOT NULL,
            revision             INTEGER NOT NULL,
            updated_at           INTEGER NOT NULL
        );
        CREATE INDEX receipts_instruction ON receipts (instruction_id);

        CREATE TABLE registry (
            uscc                    TEXT PRIMARY KEY NOT NULL,
            name                    TEXT NOT NULL,
            legal_representative    TEXT,
            address                 TEXT,
            registration_status     TEXT,
            changed_at              TEXT,
            abnormal_list           INTEGER,
            serious_violation_list  INTEGER,
            last_annual_report_year INTEGER,
            content_hash            INTEGER NOT NULL,
            revision                INTEGER NOT NULL,
            updated_at              INTEGER NOT NULL
        );

        -- first_seen: when the finding opened. last_seen: when it was last written (opened or
        -- changed); an unchanged finding is not rewritten, so a re-export dirties no page.
        CREATE TABLE findings (
            platform_merchant_id TEXT NOT NULL,
            code                 TEXT NOT NULL,
            severity             TEXT NOT NULL,
            message              TEXT NOT NULL,
            evidence_json        TEXT NOT NULL,
            basis                TEXT NOT NULL,
            first_seen           INTEGER NOT NULL,
            last_seen            INTEGER NOT NULL,
            PRIMARY KEY (platform_merchant_id, code)
        ) WITHOUT ROWID;
        CREATE INDEX findings_code ON findings (code);

        -- One row per processed inbox file. The same content may arrive again (recorded as
        -- 'duplicate') or fail and be retried, so sha256 is unique only among applied files.
        CREATE TABLE file_journal (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            file_name     TEXT NOT NULL,
            kind          TEXT,
            size          INTEGER NOT NULL,
            sha256        TEXT NOT NULL,
            rows_accepted INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            outcome       TEXT NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'failed')),
            reason        TEXT,
            started_at    INTEGER NOT NULL,
            finished_at   INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX file_journal_applied_sha256 ON file_journal (sha256) WHERE outcome = 'applied';
        CREATE INDEX file_journal_sha256 ON file_journal (sha256);

        -- The transactional outbox: a report is queued in the transaction that made the state
        -- change, written to outbox/ afterwards, then removed. AUTOINCREMENT never reuses a seq,
        -- so file names keep increasing and a gap means a file went missing.
        CREATE TABLE outbox_pending (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            kind       TEXT NOT NULL,
            file_name  TEXT NOT NULL,
            body       BLOB NOT NULL,
            created_at INTEGER NOT NULL
        );
        """
}
