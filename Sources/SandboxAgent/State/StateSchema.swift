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
/// - `class_history` and `roster_history` (migration 5) are not written since issue 16, session 36:
///   the audit trail holds each class change's summary and each roster decision's item (with its
///   notice's id as the event's subject) once. The tables stay with the rows written before.
enum StateSchema {
    static let migrations: [String] = [version1, version2, version3, version4, version5, version6, version7, version8, version9,
                                       version10, version11, version12, version13, version14, version15, version16,
                                       version17, version18]

    /// What the agent stores compressed is compressed with Zstandard (issue 16): policy items,
    /// roster records, case records and class summaries against the same preset dictionaries
    /// (`PolicyItemCodec`, first byte 0x81…0x87 where zlib's were 1…7), audit and feed queue
    /// chunks as frames (`StoredChunk`). Deflating was a fifth of a first pass's CPU and the
    /// chunks' gzip a twentieth of an ingest's. No column changes; rows written before stay as
    /// they are and are read as they are. The version keeps an older agent, which cannot read the
    /// new rows, off the state.
    /// `findings` becomes a rowid table with a unique index on (merchant, code) (issue 16, session
    /// 29). Keyed by itself, each of an ingest's 114,000 findings (440 bytes of message, evidence and
    /// basis) went into a 50 MiB B-tree at a random place, and the writer's cache, which also holds
    /// the merchants' indexes, spilled and wrote the same pages to the WAL again and again: 116,549
    /// page writes for 31,885 pages. Appended by rowid, only the small index is written at random.
    /// Merchants after registry and licences: 9.1–11.3 s against 10.8–12.1 s (docs/benchmarks.md).
    /// Same columns, same uniqueness, same queries; the rows are copied in key order.
    static let version16 = """
        CREATE TABLE findings_v16 (
            platform_merchant_id TEXT NOT NULL,
            code                 TEXT NOT NULL,
            severity             TEXT NOT NULL,
            message              TEXT NOT NULL,
            evidence_json        TEXT NOT NULL,
            basis                TEXT NOT NULL,
            first_seen           INTEGER NOT NULL,
            last_seen            INTEGER NOT NULL
        );
        INSERT INTO findings_v16 (platform_merchant_id, code, severity, message, evidence_json, basis, first_seen, last_seen)
            SELECT platform_merchant_id, code, severity, message, evidence_json, basis, first_seen, last_seen
            FROM findings ORDER BY platform_merchant_id, code;
        DROP INDEX findings_code;
        DROP TABLE findings;
        ALTER TABLE findings_v16 RENAME TO findings;
        CREATE UNIQUE INDEX findings_key ON findings (platform_merchant_id, code);
        CREATE INDEX findings_code ON findings (code);
        """

    /// A merchant's displayed name, code or address equal to its registered one is stored as an
    /// empty blob, "as registered" (`DisplayedAsRegistered`; issue 16, session 42: 46 MB of 162 at
    /// 469,000 merchants). No column changes; rows written before keep their copies and are read as
    /// they are. The version keeps an older agent, which would take the blob for the displayed
    /// value, off the state.
    static let version18 = """
        -- merchants.displayed_name, displayed_uscc, displayed_address: the text, NULL, or an empty
        --   blob for "as registered" (registered_name, uscc, registered_address)
        """

    /// Policy items, roster records, case records and class summaries are compressed against their
    /// dictionaries with entropy tables (`PolicyItemDictionaryTables.swift`, first byte 0x89…0x8F;
    /// issue 16, session 30): a first pass's items in a quarter less CPU and a ninth fewer bytes.
    /// No column changes; rows written before stay as they are and are read as they are. The
    /// version keeps an older agent, which cannot read the new rows, off the state.
    static let version17 = """
        -- policy_items.data, roster_history.record, cases.record, class_history.explanation:
        --   JSON, or PolicyItemCodec's encoding of it (zlib 1…7, zstd 0x81…0x87, zstd with the
        --   dictionaries' entropy tables 0x89…0x8F)
        """

    static let version15 = """
        -- policy_items.data, roster_history.record, cases.record, class_history.explanation:
        --   JSON, or PolicyItemCodec's encoding of it (zlib 1…7, zstd 0x81…0x87)
        -- audit_chunks.entries, feed_queue.entries: plain, gzip, or a zstd frame
        """

    /// Each merchant's next calendar re-verification (issue 16): the first day its findings could
    /// change with the calendar alone (`QualificationVerifier.nextDateChange`), `YYYY-MM-DD`;
    /// `9999-12-31` when no day would; NULL when not known yet, which is due (every merchant
    /// stored before v14, once). The daily re-verification takes only the merchants due; it read
    /// and verified all 469,000 every day before, two thirds of a steady day's run.
    static let version14 = """
        ALTER TABLE merchants ADD COLUMN reverify_on TEXT;
        """

    /// The state after a first pass at 469,000 merchants was 944 MB (issue 16; target 1 GB):
    /// - `policy_items` goes back to a WITHOUT ROWID table keyed (type, key). It became a rowid
    ///   table in v7, when an item was hundreds of bytes of JSON; since v11 a row is ≈ 30 bytes
    ///   of data (the item deflated against a dictionary) beside its key, and the key's index
    ///   (type, key, rowid) was 30.9 MiB beside the table's 92.9 for 1,014,313 items; keyed by
    ///   itself the table is 98.7 MiB (docs/benchmarks.md).
    ///   Same columns, same key, same queries; the rows are copied in key order.
    /// - `class_history_merchant` and `roster_history_merchant` go: no statement reads a history
    ///   by merchant (the agent appends to them; people read them with the sqlite3 shell, where a
    ///   merchant's rows are a scan away), and they cost 17 MiB for a first pass's 719,437 rows.
    static let version13 = """
        DROP INDEX class_history_merchant;
        DROP INDEX roster_history_merchant;
        CREATE TABLE policy_items_v13 (
            type         TEXT NOT NULL,
            key          TEXT NOT NULL,
            uscc         TEXT,
            data         BLOB NOT NULL,
            pack_version TEXT NOT NULL,
            pack_serial  INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        ) WITHOUT ROWID;
        INSERT INTO policy_items_v13 SELECT type, key, uscc, data, pack_version, pack_serial FROM policy_items ORDER BY type, key;
        DROP TABLE policy_items;
        ALTER TABLE policy_items_v13 RENAME TO policy_items;
        """

    /// The state after a first pass at 469,000 merchants was 1.13 GiB (issue 16; target 1 GB):
    /// - `cases.record` is stored as `PolicyItemCodec` encodes it against a dictionary of case
    ///   records (70 MiB of JSON for 81,685 cases); records stored before stay JSON, read as they
    ///   are, until the case is written again. The version keeps an older agent off the state.
    /// - `class_history.explanation` (a decision's summary, 71 bytes of JSON; nothing reads it
    ///   but people with the sqlite3 shell, and the audit keeps the same summary) is stored the
    ///   same way, against a dictionary of summaries: 469,000 rows in a first pass.
    /// - `feed_queue.entries` chunks are stored gzip-compressed (a Zstandard frame since v15, `StoredChunk`): the
    ///   unsent queue was 87 MiB; a chunk queued before is read as it is.
    /// - `events_time` goes: its one reader, the policy's scan of recent events, reads them in
    ///   merchant order from `events_by_merchant`, which holds `occurred_at` too (27 MiB for
    ///   2,000,000 events).
    static let version12 = """
        -- cases.record, class_history.explanation: JSON, or PolicyItemCodec's encoding of it
        -- feed_queue.entries: a chunk, or its gzip
        DROP INDEX events_time;
        """

    /// Policy items (`policy_items.data`) and roster records (`roster_history.record`) stored
    /// deflated against a preset dictionary (`PolicyItemCodec`, issue 16): 530 MB of item JSON at
    /// 469,000 merchants, items that differ in a few values. No column changes, and rows written
    /// before stay as they are (JSON, read as it is) until the policy writes them again; the
    /// version keeps an older agent, which would take the encoded bytes for JSON, off the state.
    static let version11 = """
        -- policy_items.data, roster_history.record: JSON, or PolicyItemCodec's encoding of it
        """

    /// What a first pass at 469,000 merchants stored twice (issue 16), stored once:
    /// - an instruction's line is the data of its `instruction` policy item (the line with its
    ///   receipt state, `InstructionItem.withReceiptState`); the copy in `policy_instructions` was
    ///   154 MiB. A receipt's new state is written into the item, whose line is read back from it.
    /// - a case's rule snapshot (its texts: most of a record's 2 KB) is a row of `case_rules`, one
    ///   per rule and pack, named by the case's `rule_snapshot`; the record keeps the rest
    ///   (`CaseRecord`). Existing records are converted here; NULL: the record holds its rule.
    static let version10 = """
        ALTER TABLE policy_instructions DROP COLUMN line;
        CREATE TABLE case_rules (
            id   INTEGER PRIMARY KEY,
            rule BLOB NOT NULL UNIQUE
        );
        ALTER TABLE cases ADD COLUMN rule_snapshot INTEGER;
        INSERT OR IGNORE INTO case_rules (rule)
            SELECT DISTINCT CAST(json_extract(CAST(record AS TEXT), '$.rule') AS BLOB) FROM cases;
        UPDATE cases SET
            rule_snapshot = (SELECT id FROM case_rules WHERE rule = CAST(json_extract(CAST(cases.record AS TEXT), '$.rule') AS BLOB)),
            record = CAST(json_remove(CAST(record AS TEXT), '$.rule') AS BLOB)
            WHERE json_extract(CAST(record AS TEXT), '$.rule') IS NOT NULL;
        """

    /// The regulator's sum of a registration-exempt person's turnover over its shops on every
    /// platform (issue 13 correction 9, a `turnover` directive), per storefront: the verifier
    /// judges the small-scale limit on it. A row with `over = 0` is a sum withdrawn.
    static let version9 = """
        CREATE TABLE regulator_turnover (
            platform_merchant_id TEXT PRIMARY KEY NOT NULL,
            summed_fen           INTEGER NOT NULL,
            shops                INTEGER NOT NULL,
            over                 INTEGER NOT NULL,
            directive_id         TEXT NOT NULL,
            received_at          INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// The regulator decides the roster (issue 12): a merchant whose enterprise the regulator has
    /// decided is not a member stays out of the sandbox whatever the agent proposes. `member` is
    /// the agent's own decision (its proposal), this flag the regulator's standing verdict.
    static let version8 = """
        ALTER TABLE merchant_policy ADD COLUMN excluded_by_regulator INTEGER NOT NULL DEFAULT 0;
        """

    /// The policy's tables whose rows are large (a case's record ≈ 2 KB, an instruction line
    /// ≈ 1.7 KB, a class item ≈ 0.5 KB, a roster item ≈ 0.9 KB) become rowid tables with their key
    /// in an index. In a WITHOUT ROWID table a row is a B-tree key: past ≈ 1 KB on a 4 KiB page it
    /// spills to an overflow page of its own, and rows inserted in key order leave pages half full.
    /// At 469,000 merchants the first pass left `cases` at 5.3 KB a row for 2.0 KB of record,
    /// `policy_instructions` at 3.3 KB for 1.7 KB, `policy_items` at 1.1 GB for 0.7 GB of data
    /// (docs/benchmarks.md, issue 16). Same columns, same keys, same queries.
    static let version7 = """
        CREATE TABLE cases_v7 (
            id                   TEXT PRIMARY KEY NOT NULL,
            platform_merchant_id TEXT NOT NULL,
            subject              TEXT NOT NULL,
            rule_id              TEXT NOT NULL,
            case_key             TEXT NOT NULL,
            state                TEXT NOT NULL,
            severity             TEXT NOT NULL,
            addressee            TEXT NOT NULL,
            suspension_in_force  INTEGER NOT NULL,
            watched              INTEGER NOT NULL,            -- open, or terminated and not cleared
            opened_day           INTEGER NOT NULL,
            next_due_at          INTEGER,
            record               BLOB NOT NULL
        );
        INSERT INTO cases_v7 SELECT id, platform_merchant_id, subject, rule_id, case_key, state, severity, addressee,
            suspension_in_force, watched, opened_day, next_due_at, record FROM cases ORDER BY id;
        DROP TABLE cases;
        ALTER TABLE cases_v7 RENAME TO cases;
        CREATE UNIQUE INDEX cases_one_open ON cases (platform_merchant_id, rule_id, case_key) WHERE state IN ('open', 'overdue');
        CREATE UNIQUE INDEX cases_once_per_event ON cases (platform_merchant_id, rule_id, case_key) WHERE case_key != '';
        CREATE INDEX cases_watched ON cases (watched) WHERE watched = 1;
        CREATE INDEX cases_history ON cases (subject, rule_id, opened_day);

        CREATE TABLE policy_instructions_v7 (
            id                   TEXT PRIMARY KEY NOT NULL,
            kind                 TEXT NOT NULL,
            case_id              TEXT,
            platform_merchant_id TEXT NOT NULL,
            issued_at            INTEGER NOT NULL,
            receipt_due_day      INTEGER,
            receipt_state        TEXT NOT NULL,
            receipt_id           TEXT,
            receipt_at           INTEGER,
            line                 BLOB NOT NULL
        );
        INSERT INTO policy_instructions_v7 SELECT id, kind, case_id, platform_merchant_id, issued_at, receipt_due_day,
            receipt_state, receipt_id, receipt_at, line FROM policy_instructions ORDER BY id;
        DROP TABLE policy_instructions;
        ALTER TABLE policy_instructions_v7 RENAME TO policy_instructions;
        CREATE INDEX policy_instructions_awaiting ON policy_instructions (receipt_state) WHERE receipt_state IN ('awaiting', 'overdue');
        CREATE INDEX policy_instructions_case ON policy_instructions (case_id);

        CREATE TABLE policy_items_v7 (
            type         TEXT NOT NULL,
            key          TEXT NOT NULL,
            uscc         TEXT,
            data         BLOB NOT NULL,
            pack_version TEXT NOT NULL,
            pack_serial  INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        );
        INSERT INTO policy_items_v7 SELECT type, key, uscc, data, pack_version, pack_serial FROM policy_items ORDER BY type, key;
        DROP TABLE policy_items;
        ALTER TABLE policy_items_v7 RENAME TO policy_items;
        """

    /// The inbox follows the newest export (issue 11): the same bytes may be applied again when
    /// they are the newest snapshot of their kind (A, B, then A's bytes again), so sha256 is no
    /// longer unique among applied files; the lookup index stays. Inbox entries that are not
    /// files (a folder, a pipe, an unusable name) are reported once each, remembered here until
    /// they leave the inbox.
    static let version6 = """
        DROP INDEX file_journal_applied_sha256;
        CREATE INDEX file_journal_kind_applied ON file_journal (kind, id) WHERE outcome = 'applied';
        CREATE INDEX file_journal_file_name ON file_journal (file_name);
        CREATE TABLE inbox_oddities (
            name        BLOB PRIMARY KEY NOT NULL,   -- the name's bytes as found
            what        TEXT NOT NULL,
            reported_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// The sandbox policy (docs/policy.md §11): the rule packs received, each merchant's current
    /// class and roster standing, the histories of both, cases with their instructions, the
    /// prompt ledger (the at-most-once guarantee per window), and the current policy feed items
    /// the freezer renders for the regulator. Decisions are written only when they change.
    static let version5 = """
        CREATE TABLE rulepacks (
            pack_id       TEXT NOT NULL,
            serial        INTEGER NOT NULL,
            version       TEXT NOT NULL,
            sha256        TEXT NOT NULL,
            content       BLOB NOT NULL,              -- the exact bytes that were signed
            signature     TEXT NOT NULL,              -- the PACK.sig line
            source        TEXT NOT NULL,              -- 'file' | 'regulator'
            effective_day INTEGER NOT NULL,
            state         TEXT NOT NULL CHECK (state IN ('active', 'pending', 'retired')),
            received_at   INTEGER NOT NULL,
            activated_at  INTEGER,
            PRIMARY KEY (pack_id, serial)
        ) WITHOUT ROWID;

        CREATE TABLE merchant_policy (
            platform_merchant_id TEXT PRIMARY KEY NOT NULL,
            class                TEXT,
            points               INTEGER NOT NULL,
            decision_hash        INTEGER NOT NULL,
            class_since          INTEGER,
            member               INTEGER NOT NULL,
            member_since         INTEGER,
            eligible_since       INTEGER,
            readmit_after_days   INTEGER,
            hold_until_day       INTEGER,
            source               TEXT,
            pack_serial          INTEGER NOT NULL,
            updated_at           INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE class_history (
            seq                  INTEGER PRIMARY KEY,
            platform_merchant_id TEXT NOT NULL,
            at                   INTEGER NOT NULL,
            class                TEXT NOT NULL,
            previous_class       TEXT,
            points               INTEGER NOT NULL,
            explanation          BLOB NOT NULL,
            pack_serial          INTEGER NOT NULL
        );
        CREATE INDEX class_history_merchant ON class_history (platform_merchant_id, seq);

        CREATE TABLE roster_history (
            seq                  INTEGER PRIMARY KEY,
            platform_merchant_id TEXT NOT NULL,
            at                   INTEGER NOT NULL,
            decision             TEXT NOT NULL CHECK (decision IN ('admitted', 'removed')),
            source               TEXT NOT NULL CHECK (source IN ('agent', 'regulator')),
            record               BLOB NOT NULL,
            directive_id         TEXT,
            instruction_id       TEXT,
            pack_serial          INTEGER NOT NULL
        );
        CREATE INDEX roster_history_merchant ON roster_history (platform_merchant_id, seq);

        -- One row per case; `record` is the whole case (JSON), the columns are what is searched.
        CREATE TABLE cases (
            id                   TEXT PRIMARY KEY NOT NULL,
            platform_merchant_id TEXT NOT NULL,
            subject              TEXT NOT NULL,
            rule_id              TEXT NOT NULL,
            case_key             TEXT NOT NULL,
            state                TEXT NOT NULL,
            severity             TEXT NOT NULL,
            addressee            TEXT NOT NULL,
            suspension_in_force  INTEGER NOT NULL,
            watched              INTEGER NOT NULL,            -- open, or terminated and not cleared
            opened_day           INTEGER NOT NULL,
            next_due_at          INTEGER,
            record               BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX cases_one_open ON cases (platform_merchant_id, rule_id, case_key) WHERE state IN ('open', 'overdue');
        CREATE UNIQUE INDEX cases_once_per_event ON cases (platform_merchant_id, rule_id, case_key) WHERE case_key != '';
        CREATE INDEX cases_watched ON cases (watched) WHERE watched = 1;
        CREATE INDEX cases_history ON cases (subject, rule_id, opened_day);

        CREATE TABLE policy_instructions (
            id                   TEXT PRIMARY KEY NOT NULL,
            kind                 TEXT NOT NULL,
            case_id              TEXT,
            platform_merchant_id TEXT NOT NULL,
            issued_at            INTEGER NOT NULL,
            receipt_due_day      INTEGER,
            receipt_state        TEXT NOT NULL,
            receipt_id           TEXT,
            receipt_at           INTEGER,
            line                 BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX policy_instructions_awaiting ON policy_instructions (receipt_state) WHERE receipt_state IN ('awaiting', 'overdue');
        CREATE INDEX policy_instructions_case ON policy_instructions (case_id);

        CREATE TABLE prompt_ledger (
            platform_merchant_id TEXT NOT NULL,
            prompt_id            TEXT NOT NULL,
            window_key           TEXT NOT NULL,
            issued_at            INTEGER NOT NULL,
            issued_day           INTEGER NOT NULL,
            instruction_id       TEXT NOT NULL,
            cause                TEXT,
            episode_open         INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (platform_merchant_id, prompt_id, window_key)
        ) WITHOUT ROWID;

        -- The current content of every policy feed item (class, roster, case, instruction,
        -- prompt); the feed queue names (type, key) and the freezer renders what is here.
        CREATE TABLE policy_items (
            type         TEXT NOT NULL,
            key          TEXT NOT NULL,
            uscc         TEXT,
            data         BLOB NOT NULL,
            pack_version TEXT NOT NULL,
            pack_serial  INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        ) WITHOUT ROWID;

        -- The policy reads every event for the class indicators: an index holding what it reads,
        -- in merchant order, is a quarter of the table's size to scan and groups the rows; it
        -- serves the old (merchant, time) lookups as well. Recent events (cases) by time.
        DROP INDEX events_merchant;
        CREATE INDEX events_by_merchant ON events (platform_merchant_id, occurred_at, event_type, severity);
        CREATE INDEX events_time ON events (occurred_at);

        -- Regulator `sandbox` directives are applied by the next pass: the poller keeps them.
        ALTER TABLE directives ADD COLUMN payload TEXT;
        ALTER TABLE directives ADD COLUMN policy_applied INTEGER NOT NULL DEFAULT 1;
        """

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
