/// The regulator database's schema, one migration step per version (`Database.migrate`).
enum RegulatorSchema {
    static let steps: [String] = [
        """
        -- Every record a platform sent, by platform, type and key; `uscc` files it under the
        -- enterprise across platforms (全量归集，记于企业名下).
        CREATE TABLE records (
            platform_id TEXT NOT NULL,
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            uscc TEXT,
            content_hash TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (platform_id, type, key)
        ) WITHOUT ROWID;
        CREATE INDEX records_by_uscc ON records (uscc, type) WHERE uscc IS NOT NULL;

        -- One row per accepted batch: the body's digest tells a replay from a reused key, and the
        -- stored answer is what a replay gets back.
        CREATE TABLE batches (
            platform_id TEXT NOT NULL,
            batch_key TEXT NOT NULL,
            body_sha256 TEXT NOT NULL,
            answer TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (platform_id, batch_key)
        ) WITHOUT ROWID;

        CREATE TABLE platform_counters (
            platform_id TEXT PRIMARY KEY,
            batches_accepted INTEGER NOT NULL DEFAULT 0,
            batches_duplicate INTEGER NOT NULL DEFAULT 0,
            items_accepted INTEGER NOT NULL DEFAULT 0,
            items_rejected INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;

        -- AUTOINCREMENT: a cursor is never reused, even after the newest directive is deleted,
        -- so a platform's stored cursor can never skip a later directive.
        CREATE TABLE directives (
            cursor INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            platform_id TEXT NOT NULL,
            type TEXT NOT NULL,
            platform_merchant_id TEXT,
            uscc TEXT,
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX directives_by_platform ON directives (platform_id, cursor);

        CREATE TABLE receipts (
            platform_id TEXT NOT NULL,
            receipt_id TEXT NOT NULL,
            instruction_id TEXT NOT NULL,
            platform_merchant_id TEXT NOT NULL,
            action TEXT NOT NULL,
            at INTEGER NOT NULL,
            note TEXT,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (platform_id, receipt_id)
        ) WITHOUT ROWID;

        -- The registry (登记) as imported; an entry takes a new cursor whenever its content changes.
        CREATE TABLE registry (
            uscc TEXT PRIMARY KEY,
            cursor INTEGER NOT NULL UNIQUE,
            content TEXT NOT NULL,
            imported_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        -- Records become a rowid table with a unique key index. As a WITHOUT ROWID table its
        -- ~700-byte rows (a merchant's fields) sat in the key's B-tree: every insert in key order
        -- (random merchant ids) moved big cells around full pages. Now a row is appended and only
        -- the small key entry lands at a random place (docs/benchmarks.md, regulator intake).
        CREATE TABLE records_v2 (
            id INTEGER PRIMARY KEY,
            platform_id TEXT NOT NULL,
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            uscc TEXT,
            content_hash TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        INSERT INTO records_v2 (platform_id, type, key, uscc, content_hash, data, updated_at)
            SELECT platform_id, type, key, uscc, content_hash, data, updated_at FROM records;
        DROP TABLE records;
        ALTER TABLE records_v2 RENAME TO records;
        CREATE UNIQUE INDEX records_key ON records (platform_id, type, key);
        CREATE INDEX records_by_uscc ON records (uscc, type) WHERE uscc IS NOT NULL;
        """,
        """
        -- Every rule pack publication, never updated or deleted: which bytes were served from
        -- when, signed by which key, published by whom (docs/policy.md §2.6). The newest row is
        -- what GET /v1/rulepack serves; (pack_id, serial) is unique because a serial names one
        -- content for good (a rollback is a new serial with the old content).
        CREATE TABLE rulepacks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            pack_id TEXT NOT NULL,
            serial INTEGER NOT NULL,
            version TEXT NOT NULL,
            format INTEGER NOT NULL,
            effective_from TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            key_id TEXT NOT NULL,
            signature TEXT NOT NULL,
            content BLOB NOT NULL,
            published_at INTEGER NOT NULL,
            published_by TEXT NOT NULL,
            UNIQUE (pack_id, serial)
        );
        """,
        """
        -- The pack each item was stamped with (docs/policy.md §10.1).
        ALTER TABLE records ADD COLUMN pack_version TEXT;
        ALTER TABLE records ADD COLUMN pack_serial INTEGER;
        -- Partial (one per type the regulator reads across USCCs): only those items pay for
        -- them, not the merchant rows of a bulk intake. Queries name the type as a literal.
        CREATE INDEX records_roster ON records (uscc) WHERE type = 'roster';
        CREATE INDEX records_class ON records (uscc) WHERE type = 'class';
        CREATE INDEX records_case ON records (uscc) WHERE type = 'case';

        -- Every accepted version of a `roster` / `case` item, appended, never updated: `records`
        -- keeps only the latest, and staff must be able to show how a decision or a lead came
        -- about (docs/policy.md §10.2). A resent identical version (same content_hash) is not new.
        CREATE TABLE roster_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform_id TEXT NOT NULL,
            key TEXT NOT NULL,
            uscc TEXT,
            member INTEGER,
            decision TEXT,
            source TEXT,
            content_hash TEXT NOT NULL,
            data TEXT NOT NULL,
            pack_version TEXT,
            pack_serial INTEGER,
            received_at INTEGER NOT NULL
        );
        CREATE INDEX roster_history_by_key ON roster_history (platform_id, key, id);
        CREATE INDEX roster_history_by_uscc ON roster_history (uscc) WHERE uscc IS NOT NULL;
        CREATE TABLE case_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform_id TEXT NOT NULL,
            key TEXT NOT NULL,
            uscc TEXT,
            rule_id TEXT,
            state TEXT,
            content_hash TEXT NOT NULL,
            data TEXT NOT NULL,
            pack_version TEXT,
            pack_serial INTEGER,
            received_at INTEGER NOT NULL
        );
        CREATE INDEX case_history_by_key ON case_history (platform_id, key, id);

        -- Staff decisions per USCC (POST /v1/admin/roster/{uscc}), never updated: the newest row
        -- for a USCC is the one in force; a `remove` holds until hold_until (unix seconds).
        CREATE TABLE roster_overrides (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uscc TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT NOT NULL,
            basis TEXT,
            hold_days INTEGER,
            hold_until INTEGER,
            directive_ids TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX roster_overrides_by_uscc ON roster_overrides (uscc, id);

        -- Every inspection draw (docs/policy.md §8 step 6), with the population lines it was
        -- drawn from, so a published draw can be recomputed from the database alone.
        CREATE TABLE draws (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            seed TEXT NOT NULL,
            as_of TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            pack_serial INTEGER NOT NULL,
            population_digest TEXT NOT NULL,
            population TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        """,
        """
        -- A directive's receipts by its id: the directive view and the platforms view (which
        -- directives still wait for an answer) look them up per directive.
        CREATE INDEX receipts_by_instruction ON receipts (platform_id, instruction_id);
        """,
        """
        -- The record's version as its agent stamped it (docs/sync.md): an older version never
        -- replaces a newer one, so a late or replayed batch cannot roll a record back. NULL for
        -- records stored before, and from clients that stamp none.
        ALTER TABLE records ADD COLUMN version INTEGER;
        """,
    ]
}
