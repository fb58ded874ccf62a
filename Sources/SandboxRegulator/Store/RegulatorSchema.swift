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
        -- Staff (../shared/DOMAIN.md §8): accounts with a role and its scope; only a slow hash of
        -- the password is kept (PasswordHash).
        CREATE TABLE staff (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            username      TEXT NOT NULL UNIQUE,
            display_name  TEXT NOT NULL,
            role          TEXT NOT NULL CHECK (role IN ('city', 'district', 'association', 'auditor')),
            district      TEXT,
            association   TEXT,
            password_hash TEXT NOT NULL,
            disabled      INTEGER NOT NULL DEFAULT 0,
            created_at    INTEGER NOT NULL
        );
        -- Sessions (from a login, with an expiry) and personal API tokens (until revoked), by the
        -- SHA-256 of the secret: the secret itself is shown once and never stored. In the
        -- database, not in memory, so a session is valid on every node.
        CREATE TABLE staff_credentials (
            digest     BLOB PRIMARY KEY NOT NULL,
            staff_id   INTEGER NOT NULL,
            kind       TEXT NOT NULL CHECK (kind IN ('session', 'token')),
            name       TEXT,
            created_at INTEGER NOT NULL,
            expires_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX staff_credentials_by_staff ON staff_credentials (staff_id);
        -- An association's member enterprises, uploaded by it or the city bureau.
        CREATE TABLE association_members (
            association TEXT NOT NULL,
            uscc        TEXT NOT NULL,
            added_at    INTEGER NOT NULL,
            PRIMARY KEY (association, uscc)
        ) WITHOUT ROWID;
        CREATE INDEX association_members_by_uscc ON association_members (uscc);
        -- Every staff action and every profile view: who, in which role, when, what, from where,
        -- and what came of it. Append-only: the triggers refuse any change or deletion.
        CREATE TABLE staff_audit (
            seq     INTEGER PRIMARY KEY AUTOINCREMENT,
            at      INTEGER NOT NULL,
            actor   TEXT NOT NULL,
            role    TEXT,
            address TEXT,
            action  TEXT NOT NULL,
            subject TEXT,
            outcome TEXT NOT NULL,
            status  INTEGER NOT NULL,
            detail  TEXT
        );
        CREATE INDEX staff_audit_by_actor ON staff_audit (actor, seq);
        CREATE INDEX staff_audit_by_subject ON staff_audit (subject, seq) WHERE subject IS NOT NULL;
        CREATE TRIGGER staff_audit_append_only_update BEFORE UPDATE ON staff_audit
            BEGIN SELECT RAISE(ABORT, 'the staff audit trail is append-only'); END;
        CREATE TRIGGER staff_audit_append_only_delete BEFORE DELETE ON staff_audit
            BEGIN SELECT RAISE(ABORT, 'the staff audit trail is append-only'); END;
        """,
        """
        -- The district bureaus' offline work on leads (线上线下一体化): every step appended, never
        -- changed (the export to a case system reads it by seq); `leads` keeps each lead's stage,
        -- maintained in the same transaction, so queues need no replay.
        CREATE TABLE lead_steps (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            platform_id    TEXT NOT NULL,
            case_key       TEXT NOT NULL,
            uscc           TEXT,
            action         TEXT NOT NULL,
            stage_after    TEXT NOT NULL,
            officer        TEXT NOT NULL,
            role           TEXT,
            at             INTEGER NOT NULL,
            assignee       TEXT,
            note           TEXT,
            transferred_to TEXT,
            measure        TEXT,
            penalty_fen    INTEGER
        );
        CREATE INDEX lead_steps_by_lead ON lead_steps (platform_id, case_key, seq);
        CREATE TRIGGER lead_steps_append_only_update BEFORE UPDATE ON lead_steps
            BEGIN SELECT RAISE(ABORT, 'lead steps are append-only'); END;
        CREATE TRIGGER lead_steps_append_only_delete BEFORE DELETE ON lead_steps
            BEGIN SELECT RAISE(ABORT, 'lead steps are append-only'); END;
        CREATE TABLE leads (
            platform_id TEXT NOT NULL,
            case_key    TEXT NOT NULL,
            uscc        TEXT,
            stage       TEXT NOT NULL,
            assignee    TEXT,
            updated_at  INTEGER NOT NULL,
            PRIMARY KEY (platform_id, case_key)
        ) WITHOUT ROWID;
        CREATE INDEX leads_by_uscc ON leads (uscc);
        """,
        """
        -- Credit repairs (信用修复): the application, then its decision, written once (the UPDATE
        -- that decides requires state = 'pending'); who decided is also in the staff audit trail.
        CREATE TABLE repairs (
            id                 TEXT PRIMARY KEY NOT NULL,
            uscc               TEXT NOT NULL,
            list               TEXT NOT NULL,
            applicant          TEXT NOT NULL,
            source             TEXT NOT NULL,
            application_letter INTEGER NOT NULL,
            commitment_letter  INTEGER NOT NULL,
            note               TEXT,
            received_at        INTEGER NOT NULL,
            decide_by          TEXT NOT NULL,
            state              TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
            decided_by         TEXT,
            decided_at         INTEGER,
            reason             TEXT,
            registry_cursor    INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX repairs_by_uscc ON repairs (uscc);
        CREATE INDEX repairs_by_state ON repairs (state, decide_by);
        """,
        """
        -- Inspection results of a draw's subjects (合格 / 发现问题 with the follow-up), recorded once
        -- per subject; a draw is published (一公开) with them. `recorded_day` (Asia/Shanghai) is
        -- what the pack's interval_days compares with.
        CREATE TABLE inspection_results (
            draw_id      INTEGER NOT NULL,
            uscc         TEXT NOT NULL,
            result       TEXT NOT NULL CHECK (result IN ('pass', 'problems')),
            follow_up    TEXT,
            inspectors   TEXT,
            recorded_by  TEXT NOT NULL,
            recorded_at  INTEGER NOT NULL,
            recorded_day TEXT NOT NULL,
            PRIMARY KEY (draw_id, uscc)
        ) WITHOUT ROWID;
        CREATE INDEX inspection_results_by_uscc ON inspection_results (uscc, recorded_day);
        ALTER TABLE draws ADD COLUMN published_at INTEGER;
        """,
        """
        -- Officers' art. 33 decisions on the agents' recommendations, one per case, never changed.
        CREATE TABLE determinations (
            platform_id   TEXT NOT NULL,
            case_key      TEXT NOT NULL,
            uscc          TEXT,
            recommended   TEXT NOT NULL,
            first_here    INTEGER NOT NULL,
            decision      TEXT NOT NULL,
            note          TEXT,
            decided_by    TEXT NOT NULL,
            role          TEXT,
            decided_at    INTEGER NOT NULL,
            directive_id  TEXT,
            PRIMARY KEY (platform_id, case_key)
        ) WITHOUT ROWID;
        CREATE INDEX determinations_by_uscc ON determinations (uscc);
        """,
        """
        -- The record's version as its agent stamped it (docs/sync.md): an older version never
        -- replaces a newer one, so a late or replayed batch cannot roll a record back. NULL for
        -- records stored before, and from clients that stamp none.
        ALTER TABLE records ADD COLUMN version INTEGER;
        """,
        """
        -- Figures staff read without scanning the records (issue 15), kept by each feed batch in
        -- its own transaction (FeedIntake): records per platform and type; the per-USCC view of
        -- storefronts per platform and of platforms per enterprise; per platform, its distinct
        -- USCCs and the enterprises its batches brought in first (their sum: distinct USCCs in
        -- all). Filled here from the records already stored.
        CREATE TABLE record_counts (
            platform_id TEXT NOT NULL,
            type TEXT NOT NULL,
            records INTEGER NOT NULL,
            PRIMARY KEY (platform_id, type)
        ) WITHOUT ROWID;
        INSERT INTO record_counts SELECT platform_id, type, count(*) FROM records GROUP BY platform_id, type;
        CREATE TABLE enterprise_platforms (
            uscc TEXT NOT NULL,
            platform_id TEXT NOT NULL,
            merchants INTEGER NOT NULL,
            PRIMARY KEY (uscc, platform_id)
        ) WITHOUT ROWID;
        INSERT INTO enterprise_platforms
            SELECT uscc, platform_id, count(*) FROM records WHERE type = 'merchant' AND uscc IS NOT NULL GROUP BY uscc, platform_id;
        CREATE TABLE enterprises (
            uscc TEXT PRIMARY KEY,
            platforms INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO enterprises SELECT uscc, count(*) FROM enterprise_platforms GROUP BY uscc;
        ALTER TABLE platform_counters ADD COLUMN distinct_uscc INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE platform_counters ADD COLUMN enterprises_added INTEGER NOT NULL DEFAULT 0;
        INSERT INTO platform_counters (platform_id) SELECT DISTINCT platform_id FROM records WHERE true
            ON CONFLICT (platform_id) DO NOTHING;
        UPDATE platform_counters SET distinct_uscc =
            (SELECT count(*) FROM enterprise_platforms e WHERE e.platform_id = platform_counters.platform_id);
        UPDATE platform_counters SET enterprises_added =
            (SELECT count(*) FROM (SELECT uscc, min(platform_id) AS first FROM enterprise_platforms GROUP BY uscc) f
             WHERE f.first = platform_counters.platform_id);
        """,
        """
        -- A district's lead queue at national scale reads its own cases: those registered in the
        -- division (USCC characters 3–8) and those of enterprises with a storefront in it.
        CREATE INDEX records_case_division ON records (substr(uscc, 3, 6)) WHERE type = 'case';
        CREATE INDEX records_merchant_region ON records (json_extract(data, '$.region_code')) WHERE type = 'merchant';
        """,
        """
        -- What the console's search finds an enterprise by (issue 14), as terms with an index, so a
        -- prefix or an exact match is one range of a B-tree at city scale: its USCC, registered
        -- name and legal representative (registry), and each storefront's shop name and platform
        -- merchant id (merchant records). Kept by triggers here; step 16 replaced them with bulk
        -- writes beside the rows (SearchTerm). A term is never taken out, so a former shop name
        -- still finds the enterprise (the page shows the current names).
        CREATE TABLE enterprise_search_terms (
            term TEXT NOT NULL,
            uscc TEXT NOT NULL,
            field TEXT NOT NULL,
            PRIMARY KEY (term, uscc, field)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO enterprise_search_terms
            SELECT uscc, uscc, 'uscc' FROM records WHERE type = 'merchant' AND uscc IS NOT NULL;
        INSERT OR IGNORE INTO enterprise_search_terms
            SELECT json_extract(data, '$.shop_name'), uscc, 'shop_name' FROM records
            WHERE type = 'merchant' AND uscc IS NOT NULL AND json_extract(data, '$.shop_name') IS NOT NULL;
        INSERT OR IGNORE INTO enterprise_search_terms
            SELECT key, uscc, 'platform_merchant_id' FROM records WHERE type = 'merchant' AND uscc IS NOT NULL;
        INSERT OR IGNORE INTO enterprise_search_terms SELECT uscc, uscc, 'uscc' FROM registry;
        INSERT OR IGNORE INTO enterprise_search_terms
            SELECT json_extract(content, '$.name'), uscc, 'name' FROM registry WHERE json_extract(content, '$.name') IS NOT NULL;
        INSERT OR IGNORE INTO enterprise_search_terms
            SELECT json_extract(content, '$.legal_representative'), uscc, 'legal_representative' FROM registry
            WHERE json_extract(content, '$.legal_representative') IS NOT NULL;
        -- The triggers add a term only where it is missing (NOT EXISTS) rather than by INSERT OR
        -- IGNORE: inside a trigger the outer statement's conflict policy wins, and the registry's
        -- upsert would turn IGNORE into an abort.
        CREATE TRIGGER enterprise_search_terms_merchant_insert AFTER INSERT ON records
            WHEN NEW.type = 'merchant' AND NEW.uscc IS NOT NULL
        BEGIN
            INSERT INTO enterprise_search_terms
                SELECT n.term, n.uscc, n.field FROM (
                    SELECT NEW.uscc AS term, NEW.uscc AS uscc, 'uscc' AS field
                    UNION ALL SELECT NEW.key, NEW.uscc, 'platform_merchant_id'
                    UNION ALL SELECT json_extract(NEW.data, '$.shop_name'), NEW.uscc, 'shop_name') AS n
                WHERE n.term IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enterprise_search_terms e
                    WHERE e.term = n.term AND e.uscc = n.uscc AND e.field = n.field);
        END;
        -- The same for an update (SQLite has no trigger for INSERT OR UPDATE): a record's new shop
        -- name, or a USCC given late, is found from then on.
        CREATE TRIGGER enterprise_search_terms_merchant_update AFTER UPDATE OF data, uscc ON records
            WHEN NEW.type = 'merchant' AND NEW.uscc IS NOT NULL
        BEGIN
            INSERT INTO enterprise_search_terms
                SELECT n.term, n.uscc, n.field FROM (
                    SELECT NEW.uscc AS term, NEW.uscc AS uscc, 'uscc' AS field
                    UNION ALL SELECT NEW.key, NEW.uscc, 'platform_merchant_id'
                    UNION ALL SELECT json_extract(NEW.data, '$.shop_name'), NEW.uscc, 'shop_name') AS n
                WHERE n.term IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enterprise_search_terms e
                    WHERE e.term = n.term AND e.uscc = n.uscc AND e.field = n.field);
        END;
        CREATE TRIGGER enterprise_search_terms_registry AFTER INSERT ON registry
        BEGIN
            INSERT INTO enterprise_search_terms
                SELECT n.term, n.uscc, n.field FROM (
                    SELECT NEW.uscc AS term, NEW.uscc AS uscc, 'uscc' AS field
                    UNION ALL SELECT json_extract(NEW.content, '$.name'), NEW.uscc, 'name'
                    UNION ALL SELECT json_extract(NEW.content, '$.legal_representative'), NEW.uscc, 'legal_representative') AS n
                WHERE n.term IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enterprise_search_terms e
                    WHERE e.term = n.term AND e.uscc = n.uscc AND e.field = n.field);
        END;
        CREATE TRIGGER enterprise_search_terms_registry_update AFTER UPDATE OF content ON registry
        BEGIN
            INSERT INTO enterprise_search_terms
                SELECT n.term, n.uscc, n.field FROM (
                    SELECT json_extract(NEW.content, '$.name') AS term, NEW.uscc AS uscc, 'name' AS field
                    UNION ALL SELECT json_extract(NEW.content, '$.legal_representative'), NEW.uscc, 'legal_representative') AS n
                WHERE n.term IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enterprise_search_terms e
                    WHERE e.term = n.term AND e.uscc = n.uscc AND e.field = n.field);
        END;
        """,
        """
        -- Enterprises with a case, filed under the regions of their storefronts: a district's lead
        -- queue reads its own (region, enterprise) rows instead of every storefront in the district.
        -- The intake adds rows in the batch's transaction (FeedIntake); none is taken out, the queue
        -- checks the storefront is still in the region. Replaces step 13's index of merchants by region.
        CREATE TABLE lead_regions (
            region TEXT NOT NULL,
            uscc TEXT NOT NULL,
            PRIMARY KEY (region, uscc)
        ) WITHOUT ROWID;
        INSERT INTO lead_regions (region, uscc)
            SELECT DISTINCT json_extract(m.data, '$.region_code'), m.uscc FROM records m
            WHERE m.type = 'merchant' AND m.uscc IS NOT NULL AND json_extract(m.data, '$.region_code') IS NOT NULL
              AND EXISTS (SELECT 1 FROM records c WHERE c.uscc = m.uscc AND c.type = 'case');
        DROP INDEX records_merchant_region;
        """,
        """
        -- The search terms are written by the intake and the registry import in bulk (SearchTerm),
        -- not by triggers: the terms of a storefront in one place, once per batch. (Measured side
        -- by side it did not speed the intake up; the terms themselves cost it, docs/benchmarks.md.)
        DROP TRIGGER enterprise_search_terms_merchant_insert;
        DROP TRIGGER enterprise_search_terms_merchant_update;
        DROP TRIGGER enterprise_search_terms_registry;
        DROP TRIGGER enterprise_search_terms_registry_update;
        """,
        """
        -- Officers' decisions on the ladder steps the agents propose (issue 12): one per proposal
        -- (a step proposed again after a deferral is a new proposal, told by its proposed_at).
        CREATE TABLE proposal_decisions (
            platform_id   TEXT NOT NULL,
            case_key      TEXT NOT NULL,
            step          INTEGER NOT NULL,
            proposed_at   TEXT NOT NULL,
            uscc          TEXT,
            decision      TEXT NOT NULL,
            until_day     TEXT,
            reason        TEXT,
            decided_by    TEXT NOT NULL,
            role          TEXT,
            decided_at    INTEGER NOT NULL,
            directive_id  TEXT NOT NULL,
            PRIMARY KEY (platform_id, case_key, step, proposed_at)
        ) WITHOUT ROWID;
        CREATE INDEX proposal_decisions_by_uscc ON proposal_decisions (uscc);
        -- The queue finds the cases with a waiting proposal without reading the others.
        CREATE INDEX records_case_proposal ON records (json_extract(data, '$.proposal.state')) WHERE type = 'case';
        """,
        """
        -- The regulator's roster decision per enterprise, kept (StoreSession+KeptRoster): the
        -- outcome figures count members without deciding the whole city on every read. What can
        -- change a decision marks the enterprise in roster_dirty; RosterKeeper decides the marked.
        CREATE TABLE regulator_roster (
            uscc          TEXT PRIMARY KEY,
            member        INTEGER NOT NULL,
            member_since  TEXT,
            division      TEXT NOT NULL,
            reasons       TEXT NOT NULL,
            recheck_at    INTEGER,
            decided_at    INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX regulator_roster_members ON regulator_roster (division) WHERE member = 1;
        CREATE INDEX regulator_roster_recheck ON regulator_roster (recheck_at) WHERE recheck_at IS NOT NULL;
        CREATE TABLE roster_dirty (uscc TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT OR IGNORE INTO roster_dirty SELECT uscc FROM enterprises;
        INSERT OR IGNORE INTO roster_dirty SELECT uscc FROM roster_overrides;
        """,
        """
        -- The roster decisions pushed to the platforms (issue 12): per platform and enterprise,
        -- the last verdict sent as a `sandbox` directive. A verdict goes to a platform whose agent
        -- proposes a member the regulator does not admit, and again when the decision turns.
        CREATE TABLE roster_verdicts (
            platform_id   TEXT NOT NULL,
            uscc          TEXT NOT NULL,
            member        INTEGER NOT NULL,
            directive_id  TEXT NOT NULL,
            sent_at       INTEGER NOT NULL,
            PRIMARY KEY (uscc, platform_id)
        ) WITHOUT ROWID;
        -- Every kept decision is taken again, now with its verdicts.
        INSERT OR IGNORE INTO roster_dirty SELECT uscc FROM regulator_roster;
        """,
        """
        -- The registration-exempt turnover summed across platforms (issue 13 correction 9): per
        -- person (name and address), the last sum sent to its shops' platforms as `turnover`
        -- directives. Natural persons are the storefronts without a USCC: an index keeps the
        -- sweep off the rest of the city.
        CREATE TABLE turnover_sums (
            person_key   TEXT PRIMARY KEY NOT NULL,
            total_fen    INTEGER NOT NULL,
            over         INTEGER NOT NULL,
            storefronts  TEXT NOT NULL,
            sent_at      INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX records_without_uscc ON records (type) WHERE uscc IS NULL;
        """,
        """
        -- The art. 33 recommendations (the console's queue, GET /v1/admin/determinations): the
        -- few cases that carry one are found without reading the others, as the proposals are.
        CREATE INDEX records_case_determination ON records (json_extract(data, '$.determination.result')) WHERE type = 'case';
        """,
        """
        -- The console's roster (issue 14) pages through the kept decisions by place and standing
        -- instead of deciding the city on every read: beside each decision its worst class and
        -- the platforms whose agents propose the enterprise, and every place it belongs to — its
        -- registration division and its storefronts' regions, a district's jurisdiction as
        -- Jurisdiction.admits has it. RosterKeeper keeps them with the decision.
        ALTER TABLE regulator_roster ADD COLUMN worst_class TEXT;
        ALTER TABLE regulator_roster ADD COLUMN proposed_by TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE roster_places (
            region TEXT NOT NULL,
            uscc   TEXT NOT NULL,
            PRIMARY KEY (region, uscc)
        ) WITHOUT ROWID;
        CREATE INDEX roster_places_by_uscc ON roster_places (uscc);
        INSERT OR IGNORE INTO roster_places SELECT division, uscc FROM regulator_roster WHERE division != '';
        INSERT OR IGNORE INTO roster_places
            SELECT DISTINCT json_extract(m.data, '$.region_code'), m.uscc FROM regulator_roster r
            JOIN records m ON m.uscc = r.uscc AND m.type = 'merchant' WHERE json_extract(m.data, '$.region_code') IS NOT NULL;
        -- Every kept decision is taken again, so its class and proposers are kept too.
        INSERT OR IGNORE INTO roster_dirty SELECT uscc FROM regulator_roster;
        """,
        """
        -- The console's platforms page lists each platform's directives still owed a receipt: only
        -- the types that expect one (ReceiptRule.expectedFor, the same text as the queries'), so
        -- the platform's many prompts and notices are not read.
        CREATE INDEX directives_expecting_receipt ON directives (platform_id, cursor)
            WHERE lower(type) IN ('guidance', 'reinstate', 'suspend', 'takedown', 'terminate', 'warning');
        """,
        """
        -- An association's 行业自律 prompts as it sent them (the console's associations page): one
        -- row per prompt, beside the `prompt` directives it became (one per storefront).
        CREATE TABLE association_prompts (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            association  TEXT NOT NULL,
            title        TEXT NOT NULL,
            text         TEXT NOT NULL,
            issuer_name  TEXT NOT NULL,
            issued_by    TEXT NOT NULL,
            members      INTEGER NOT NULL,
            storefronts  INTEGER NOT NULL,
            issued_at    INTEGER NOT NULL
        );
        CREATE INDEX association_prompts_by_association ON association_prompts (association, id);
        """,
        outcomeFigures,
        drawSizes,
        staffDirectives,
        leadQueue,
        drawSubjects,
        closedStorefronts,
        tradingEnterprises,
        closedCounts,
        drawPreparations,
        rosterMemberCounts,
        caseQueues,
    ]

    /// The proposals' and the art. 33 recommendations' queues in `lead_queue` (issue 15): per
    /// case and place, the proposal's state and first proposal time and the recommendation and
    /// rectification time, kept with the lead's sort keys (LeadQueueRows). Both pages read every
    /// case of the state in the country and checked each one's jurisdiction (a probe of its
    /// storefronts' regions): at 20,000,000 merchants a district's proposals took 94 s
    /// (docs/benchmarks.md, session 21). Now a district's page is one range of an index.
    /// `proposal_first` and `rectified_at` have no type, as `deadline`: what `json_extract` gave.
    static let caseQueues = """
        ALTER TABLE lead_queue ADD COLUMN proposal_state TEXT;
        ALTER TABLE lead_queue ADD COLUMN proposal_first;
        ALTER TABLE lead_queue ADD COLUMN recommendation TEXT;
        ALTER TABLE lead_queue ADD COLUMN rectified_at;
        \(LeadQueueRows.upsert(cases: LeadQueueRows.queuedCases));
        \(caseQueueIndexes.joined(separator: ";\n"));
        """

    /// The version `caseQueues` brings the database to.
    static var caseQueuesVersion: Int { steps.firstIndex(of: caseQueues)! + 1 }

    /// The two queues' indexes, both engines'.
    static let caseQueueIndexes = [
        """
        CREATE INDEX lead_queue_proposals ON lead_queue (place, proposal_state, proposal_first, platform_id, case_key)
            WHERE proposal_state IS NOT NULL
        """,
        """
        CREATE INDEX lead_queue_recommendations ON lead_queue (place, rectified_at, platform_id, case_key)
            WHERE recommendation IN ('no_penalty', 'may_not_penalize')
        """,
    ]

    /// The roster's members per division, kept by the roster keeper in the turn that changes a
    /// decision (StoreSession.keepRosterDecisions) for the outcome figures and the dashboard:
    /// counting the members' partial index took 60–80 ms of CPU for a city (149,390 members at
    /// 469,000 merchants). Filled here from the kept decisions.
    static let rosterMemberCounts = """
        CREATE TABLE roster_member_counts (
            division TEXT PRIMARY KEY,
            members  INTEGER NOT NULL
        ) WITHOUT ROWID;
        \(rosterMemberCountsFill);
        """

    /// The fill of `rosterMemberCounts` after its table, both engines' (PostgresSchema).
    static let rosterMemberCountsFill = """
        INSERT INTO roster_member_counts (division, members) SELECT division, count(*) FROM regulator_roster WHERE member = 1 GROUP BY division
        """

    /// The version `rosterMemberCounts` brings the database to.
    static var rosterMemberCountsVersion: Int { steps.firstIndex(of: rosterMemberCounts)! + 1 }

    /// Draws prepared for the console's preview (issue 14): a city draw reads and ranks every
    /// enterprise (seconds at 469,000), so the preview is made in the background and kept here —
    /// the request (to take it over when its node stopped), its progress and heartbeat, then the
    /// prepared draw with its population and drawn subjects. 抽取 copies the prepared draw into
    /// `draws` and `draw_subjects` as it was previewed: the population is the one the officer saw.
    /// In the database, not one node's memory, so any node shows and draws it.
    static let drawPreparations = """
        CREATE TABLE draw_preparations (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            created_by         TEXT NOT NULL,
            created_at         INTEGER NOT NULL,
            heartbeat_at       INTEGER NOT NULL,
            state              TEXT NOT NULL,
            phase              TEXT NOT NULL,
            request            TEXT NOT NULL,
            error              TEXT,
            prepared_at        INTEGER,
            seed               TEXT NOT NULL,
            as_of              TEXT,
            pack_version       TEXT,
            pack_serial        INTEGER,
            population_digest  TEXT,
            region             TEXT,
            drawn_count        INTEGER,
            strata             TEXT,
            population_count   INTEGER,
            recently_inspected INTEGER,
            inspectors_count   INTEGER,
            draw_id            INTEGER,
            -- Last: a row's columns are read in order, and these two run to megabytes for a city.
            population         TEXT,
            result             TEXT
        );
        CREATE INDEX draw_preparations_by_age ON draw_preparations (created_at);
        CREATE TABLE draw_preparation_subjects (
            preparation_id INTEGER NOT NULL,
            position       INTEGER NOT NULL,
            uscc           TEXT NOT NULL,
            name           TEXT NOT NULL,
            stratum        TEXT NOT NULL,
            class          TEXT,
            mode           TEXT NOT NULL,
            inspectors     TEXT NOT NULL,
            PRIMARY KEY (preparation_id, position)
        ) WITHOUT ROWID;
        """

    /// The version `drawPreparations` brings the database to.
    static var drawPreparationsVersion: Int { steps.firstIndex(of: drawPreparations)! + 1 }

    /// A draw's drawn enterprises as rows (issue 14): a city draw draws tens of thousands, and its
    /// page, a result recorded and the publication read them by position or by USCC instead of
    /// parsing the draw's whole result JSON (megabytes) on every request. The strata and the
    /// population's size are kept beside it for the page's head. Older draws filled from their JSON.
    static let drawSubjects = """
        CREATE TABLE draw_subjects (
            draw_id     INTEGER NOT NULL,
            position    INTEGER NOT NULL,
            uscc        TEXT NOT NULL,
            name        TEXT NOT NULL,
            stratum     TEXT NOT NULL,
            class       TEXT,
            mode        TEXT NOT NULL,
            inspectors  TEXT NOT NULL,
            PRIMARY KEY (draw_id, position)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX draw_subjects_by_uscc ON draw_subjects (draw_id, uscc);
        ALTER TABLE draws ADD COLUMN strata TEXT;
        ALTER TABLE draws ADD COLUMN population_count INTEGER;
        INSERT INTO draw_subjects
            SELECT d.id, e.key, json_extract(e.value, '$.uscc'), coalesce(json_extract(e.value, '$.name'), ''),
                   json_extract(e.value, '$.stratum'), json_extract(e.value, '$.class'), coalesce(json_extract(e.value, '$.mode'), 'on_site'),
                   coalesce(json_extract(e.value, '$.inspectors'), '[]')
            FROM draws d, json_each(d.result, '$.drawn') e;
        UPDATE draws SET strata = json_extract(result, '$.strata'), population_count = json_extract(result, '$.population_count');
        """

    /// The version `drawSubjects` brings the database to.
    static var drawSubjectsVersion: Int { steps.firstIndex(of: drawSubjects)! + 1 }

    /// The outcome report's merchants are the storefronts trading (issue 13): those a platform
    /// reported closed are counted from this partial index — a few per cent of the storefronts —
    /// and taken from the kept totals, so the report still reads no merchant record. The same
    /// predicate as the count in StoreSession.outcomes, word for word, or the planner passes it by.
    static let closedStorefronts = """
        CREATE INDEX records_closed_storefronts ON records (uscc)
            WHERE type = 'merchant' AND json_extract(data, '$.status') IN ('closed', '关闭');
        """

    /// The version `closedStorefronts` brings the database to.
    static var closedStorefrontsVersion: Int { steps.firstIndex(of: closedStorefronts)! + 1 }

    /// The outcome report's enterprises are those with a storefront still trading (issue 13, as
    /// its merchants are the storefronts trading): the intake keeps each enterprise's storefronts
    /// not reported closed (`enterprises.trading`) and, per division, the enterprises with at
    /// least one (`division_enterprises.trading`), so the report reads a few rows, not the
    /// storefronts. Filled here from the records (StorefrontStatus, the closed index's predicate).
    static let tradingEnterprises = """
        ALTER TABLE enterprises ADD COLUMN trading INTEGER NOT NULL DEFAULT 0;
        \(tradingEnterprisesFill.joined(separator: ";\n"));
        """

    /// The version `tradingEnterprises` brings the database to.
    static var tradingEnterprisesVersion: Int { steps.firstIndex(of: tradingEnterprises)! + 1 }

    /// The storefronts reported closed, kept per division by the intake (`closed_storefronts`:
    /// USCC characters 3–8, '' without a USCC) instead of the partial index of step
    /// `closedStorefronts`: the index's predicate parsed every merchant record's JSON on insert
    /// (on PostgreSQL a fifth of the records' insert after the other indexes went: measured in
    /// docs/benchmarks.md, issue 15), and the intake already reads each storefront's status
    /// (StorefrontStatus) for the enterprises still trading. Filled here by the index's predicate.
    static let closedCounts = """
        CREATE TABLE closed_storefronts (
            division TEXT PRIMARY KEY,
            storefronts INTEGER NOT NULL
        ) WITHOUT ROWID;
        \(closedCountsFill.joined(separator: ";\n"));
        """

    /// The version `closedCounts` brings the database to.
    static var closedCountsVersion: Int { steps.firstIndex(of: closedCounts)! + 1 }

    /// The fill of `closedCounts` after its table, both engines' (PostgresSchema), and the index
    /// it replaces dropped.
    static let closedCountsFill = [
        """
        INSERT INTO closed_storefronts (division, storefronts)
            SELECT coalesce(substr(uscc, 3, 6), ''), count(*) FROM records
            WHERE type = 'merchant' AND json_extract(data, '$.status') IN ('closed', '关闭') GROUP BY coalesce(substr(uscc, 3, 6), '')
        """,
        "DROP INDEX IF EXISTS records_closed_storefronts",
    ]

    /// The fill of `tradingEnterprises` after its first column, both engines' (PostgresSchema).
    static let tradingEnterprisesFill = [
        """
        UPDATE enterprises SET trading = t.n
        FROM (SELECT uscc, count(*) AS n FROM records
              WHERE type = 'merchant' AND uscc IS NOT NULL AND \(StorefrontStatus.closedPredicate) = 0 GROUP BY uscc) AS t
        WHERE enterprises.uscc = t.uscc
        """,
        "ALTER TABLE division_enterprises ADD COLUMN trading BIGINT NOT NULL DEFAULT 0",
        """
        INSERT INTO division_enterprises (division, enterprises, trading)
            SELECT substr(uscc, 3, 6), 0, count(*) FROM enterprises WHERE trading > 0 GROUP BY substr(uscc, 3, 6)
        ON CONFLICT (division) DO UPDATE SET trading = excluded.trading
        """,
    ]

    /// The console's directives page (issue 14): who issued a directive by hand, and the indexes
    /// its pages and the enterprise file read.
    static let staffDirectives = """
        -- The console's directives page (issue 14): the directives staff issued by hand carry who
        -- issued them, and the partial index holds only those, so the follow page pages through
        -- them newest first without reading the platforms' many verdicts and prompts. An
        -- enterprise's directives by its USCC, for its file (一户一档).
        ALTER TABLE directives ADD COLUMN issued_by TEXT;
        CREATE INDEX directives_issued_by_staff ON directives (cursor) WHERE issued_by IS NOT NULL;
        CREATE INDEX directives_by_uscc ON directives (uscc, cursor) WHERE uscc IS NOT NULL;
        -- A directive's receipts in the order they are shown, newest last: without `at` in the
        -- index SQLite reads every receipt of the platform by its key to sort them (the plan
        -- DirectivesPageTests checks).
        DROP INDEX receipts_by_instruction;
        CREATE INDEX receipts_by_instruction ON receipts (platform_id, instruction_id, at, receipt_id);
        """

    /// The version `staffDirectives` brings the database to.
    static var staffDirectivesVersion: Int { steps.firstIndex(of: staffDirectives)! + 1 }

    /// The console's list of draws (docs/console.md): each draw's division (a district bureau's
    /// own draw; NULL for the city) and how many it drew, kept beside the result JSON so the list
    /// reads neither the JSON nor another bureau's draws; older draws filled from their JSON.
    static let drawSizes = """
        ALTER TABLE draws ADD COLUMN region TEXT;
        ALTER TABLE draws ADD COLUMN drawn_count INTEGER;
        UPDATE draws SET region = json_extract(result, '$.region'), drawn_count = json_array_length(result, '$.drawn');
        CREATE INDEX draws_by_region ON draws (region, id);
        """

    /// The version `drawSizes` brings the database to.
    static var drawSizesVersion: Int { steps.firstIndex(of: drawSizes)! + 1 }

    /// The version `leadQueue` brings the database to.
    static var leadQueueVersion: Int { steps.firstIndex(of: leadQueue)! + 1 }

    /// The lead queue's sort keys, kept (issue 15): per case and place whose queue holds it
    /// (LeadQueueRows: '' for the whole country, and each district with jurisdiction) the lead's
    /// stage and assignee and the case's state, deadline and opened_at, as the queue sorts and
    /// filters by them; the intake keeps them in each batch's transaction, a lead step with the
    /// lead. `lead_queue_order` is the queue's order within a place, so "the district's open
    /// leads, overdue first, LIMIT n" reads a few ranges of n rows (StoreSession+Leads), not
    /// every case of the district; `lead_queue_by_uscc` the same order within an enterprise (its
    /// profile), which the planner takes over the place's range when a USCC is asked. `place`,
    /// `deadline` and `opened_at` have no type: a value stays what `json_extract` gave, so they
    /// compare and sort as the queue compared the case items before.
    /// Replaces `lead_regions` (step 15), which only the queue read.
    static let leadQueue = """
        CREATE TABLE lead_queue (
            platform_id    TEXT NOT NULL,
            case_key       TEXT NOT NULL,
            place          NOT NULL,
            uscc           TEXT,
            stage          TEXT NOT NULL,
            pending        INTEGER NOT NULL,
            assignee       TEXT,
            overdue_state  INTEGER NOT NULL,
            no_deadline    INTEGER NOT NULL,
            deadline,
            opened_at,
            PRIMARY KEY (platform_id, case_key, place)
        ) WITHOUT ROWID;
        CREATE INDEX lead_queue_order ON lead_queue (place, pending, overdue_state, no_deadline, deadline, opened_at, platform_id,
                                                     case_key);
        CREATE INDEX lead_queue_by_uscc ON lead_queue (uscc, place, pending, overdue_state, no_deadline, deadline, opened_at,
                                                       platform_id, case_key);
        \(LeadQueueRows.upsert(cases: LeadQueueRows.allCases, caseQueues: false));
        DROP TABLE lead_regions;
        """

    /// Step 25: what the outcome report reads instead of scans, kept by the intake in each
    /// batch's transaction (FeedIntake).
    /// - `outcome_counts`: the period figures per day and division (OutcomeContribution) instead
    ///   of `json_extract` over the period's records. `day` is the Asia/Shanghai day (YYYY-MM-DD)
    ///   of the record's time as `julianday` reads it, `division` USCC characters 3–8 ('' without
    ///   a USCC: the city's total only), `figure` an OutcomeReport field. The records already
    ///   stored are counted in the same transaction by OutcomeCountsBackfill (Swift: the intake's
    ///   own rules).
    /// - `division_storefronts`, `division_enterprises`: a region's storefronts per platform and
    ///   enterprises trading on a platform, per division, instead of a scan of every enterprise's
    ///   row in `enterprise_platforms`; filled here from that view.
    static let outcomeFigures = """
        CREATE TABLE outcome_counts (
            day TEXT NOT NULL,
            division TEXT NOT NULL,
            figure TEXT NOT NULL,
            records INTEGER NOT NULL,
            PRIMARY KEY (day, division, figure)
        ) WITHOUT ROWID;
        CREATE TABLE division_storefronts (
            division TEXT NOT NULL,
            platform_id TEXT NOT NULL,
            merchants INTEGER NOT NULL,
            PRIMARY KEY (division, platform_id)
        ) WITHOUT ROWID;
        INSERT INTO division_storefronts
            SELECT substr(uscc, 3, 6), platform_id, sum(merchants) FROM enterprise_platforms GROUP BY substr(uscc, 3, 6), platform_id;
        CREATE TABLE division_enterprises (
            division TEXT PRIMARY KEY,
            enterprises INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO division_enterprises
            SELECT substr(uscc, 3, 6), count(*) FROM enterprises WHERE platforms > 0 GROUP BY substr(uscc, 3, 6);
        """

    /// The version `outcomeFigures` brings the database to: after it, the backfill runs.
    static var outcomeFiguresVersion: Int { steps.firstIndex(of: outcomeFigures)! + 1 }
}
