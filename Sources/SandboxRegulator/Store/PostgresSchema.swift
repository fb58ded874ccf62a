/// The regulator's schema on PostgreSQL, one migration step per version, each a list of single
/// statements (PostgresNIO sends one statement per query). Step 1 is the SQLite schema as it
/// stands after its eleven steps (RegulatorSchema), translated: rowid tables take a BIGSERIAL
/// id, AUTOINCREMENT cursors a BIGSERIAL too (never reused, as AUTOINCREMENT promises), BLOB is
/// BYTEA and the append-only triggers raise from a function. JSON stays TEXT, as the agents sent
/// it; `json_extract` and `julianday` are defined here as SQLite has them, so the store's
/// queries are one text for both engines. A later change appends a step here and to
/// RegulatorSchema alike.
enum PostgresSchema {
    static let steps: [[String]] = [
        [
            // json_extract(data, '$.a.b') as SQLite answers it for text and numbers (booleans come
            // back as 'true' / 'false': SQLDialect.jsonTrue).
            """
            CREATE FUNCTION json_extract(document TEXT, path TEXT) RETURNS TEXT
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$ SELECT (document::jsonb) #>> string_to_array(substr(path, 3), '.') $$
            """,
            // json_type(data, '$.a') for the one answer the store asks about, 'object'.
            """
            CREATE FUNCTION json_type(document TEXT, path TEXT) RETURNS TEXT
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$ SELECT jsonb_typeof((document::jsonb) #> string_to_array(substr(path, 3), '.')) $$
            """,
            // julianday(an RFC 3339 time): days since noon UTC, 24 November 4714 BC, as a real.
            """
            CREATE FUNCTION julianday(instant TEXT) RETURNS DOUBLE PRECISION
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ SELECT extract(epoch FROM instant::timestamptz)::double precision / 86400 + 2440587.5 $$
            """,
            """
            CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$
            """,
            """
            CREATE TABLE records (
                id BIGSERIAL PRIMARY KEY,
                platform_id TEXT NOT NULL,
                type TEXT NOT NULL,
                key TEXT NOT NULL,
                uscc TEXT,
                content_hash TEXT NOT NULL,
                data TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                pack_version TEXT,
                pack_serial BIGINT,
                version BIGINT
            )
            """,
            "CREATE UNIQUE INDEX records_key ON records (platform_id, type, key)",
            "CREATE INDEX records_by_uscc ON records (uscc, type) WHERE uscc IS NOT NULL",
            "CREATE INDEX records_roster ON records (uscc) WHERE type = 'roster'",
            "CREATE INDEX records_class ON records (uscc) WHERE type = 'class'",
            "CREATE INDEX records_case ON records (uscc) WHERE type = 'case'",
            """
            CREATE TABLE batches (
                platform_id TEXT NOT NULL,
                batch_key TEXT NOT NULL,
                body_sha256 TEXT NOT NULL,
                answer TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                PRIMARY KEY (platform_id, batch_key)
            )
            """,
            """
            CREATE TABLE platform_counters (
                platform_id TEXT PRIMARY KEY,
                batches_accepted BIGINT NOT NULL DEFAULT 0,
                batches_duplicate BIGINT NOT NULL DEFAULT 0,
                items_accepted BIGINT NOT NULL DEFAULT 0,
                items_rejected BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE directives (
                cursor BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                platform_id TEXT NOT NULL,
                type TEXT NOT NULL,
                platform_merchant_id TEXT,
                uscc TEXT,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX directives_by_platform ON directives (platform_id, cursor)",
            """
            CREATE TABLE receipts (
                platform_id TEXT NOT NULL,
                receipt_id TEXT NOT NULL,
                instruction_id TEXT NOT NULL,
                platform_merchant_id TEXT NOT NULL,
                action TEXT NOT NULL,
                at BIGINT NOT NULL,
                note TEXT,
                received_at BIGINT NOT NULL,
                PRIMARY KEY (platform_id, receipt_id)
            )
            """,
            "CREATE INDEX receipts_by_instruction ON receipts (platform_id, instruction_id)",
            """
            CREATE TABLE registry (
                uscc TEXT PRIMARY KEY,
                cursor BIGINT NOT NULL UNIQUE,
                content TEXT NOT NULL,
                imported_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE rulepacks (
                id BIGSERIAL PRIMARY KEY,
                pack_id TEXT NOT NULL,
                serial BIGINT NOT NULL,
                version TEXT NOT NULL,
                format BIGINT NOT NULL,
                effective_from TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                key_id TEXT NOT NULL,
                signature TEXT NOT NULL,
                content BYTEA NOT NULL,
                published_at BIGINT NOT NULL,
                published_by TEXT NOT NULL,
                UNIQUE (pack_id, serial)
            )
            """,
            """
            CREATE TABLE roster_history (
                id BIGSERIAL PRIMARY KEY,
                platform_id TEXT NOT NULL,
                key TEXT NOT NULL,
                uscc TEXT,
                member BIGINT,
                decision TEXT,
                source TEXT,
                content_hash TEXT NOT NULL,
                data TEXT NOT NULL,
                pack_version TEXT,
                pack_serial BIGINT,
                received_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX roster_history_by_key ON roster_history (platform_id, key, id)",
            "CREATE INDEX roster_history_by_uscc ON roster_history (uscc) WHERE uscc IS NOT NULL",
            """
            CREATE TABLE case_history (
                id BIGSERIAL PRIMARY KEY,
                platform_id TEXT NOT NULL,
                key TEXT NOT NULL,
                uscc TEXT,
                rule_id TEXT,
                state TEXT,
                content_hash TEXT NOT NULL,
                data TEXT NOT NULL,
                pack_version TEXT,
                pack_serial BIGINT,
                received_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX case_history_by_key ON case_history (platform_id, key, id)",
            """
            CREATE TABLE roster_overrides (
                id BIGSERIAL PRIMARY KEY,
                uscc TEXT NOT NULL,
                action TEXT NOT NULL,
                reason TEXT NOT NULL,
                basis TEXT,
                hold_days BIGINT,
                hold_until BIGINT,
                directive_ids TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX roster_overrides_by_uscc ON roster_overrides (uscc, id)",
            """
            CREATE TABLE draws (
                id BIGSERIAL PRIMARY KEY,
                seed TEXT NOT NULL,
                as_of TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                pack_serial BIGINT NOT NULL,
                population_digest TEXT NOT NULL,
                population TEXT NOT NULL,
                result TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                published_at BIGINT
            )
            """,
            """
            CREATE TABLE staff (
                id            BIGSERIAL PRIMARY KEY,
                username      TEXT NOT NULL UNIQUE,
                display_name  TEXT NOT NULL,
                role          TEXT NOT NULL CHECK (role IN ('city', 'district', 'association', 'auditor')),
                district      TEXT,
                association   TEXT,
                password_hash TEXT NOT NULL,
                disabled      BIGINT NOT NULL DEFAULT 0,
                created_at    BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE staff_credentials (
                digest     BYTEA PRIMARY KEY NOT NULL,
                staff_id   BIGINT NOT NULL,
                kind       TEXT NOT NULL CHECK (kind IN ('session', 'token')),
                name       TEXT,
                created_at BIGINT NOT NULL,
                expires_at BIGINT
            )
            """,
            "CREATE INDEX staff_credentials_by_staff ON staff_credentials (staff_id)",
            """
            CREATE TABLE association_members (
                association TEXT NOT NULL,
                uscc        TEXT NOT NULL,
                added_at    BIGINT NOT NULL,
                PRIMARY KEY (association, uscc)
            )
            """,
            "CREATE INDEX association_members_by_uscc ON association_members (uscc)",
            """
            CREATE TABLE staff_audit (
                seq     BIGSERIAL PRIMARY KEY,
                at      BIGINT NOT NULL,
                actor   TEXT NOT NULL,
                role    TEXT,
                address TEXT,
                action  TEXT NOT NULL,
                subject TEXT,
                outcome TEXT NOT NULL,
                status  BIGINT NOT NULL,
                detail  TEXT
            )
            """,
            "CREATE INDEX staff_audit_by_actor ON staff_audit (actor, seq)",
            "CREATE INDEX staff_audit_by_subject ON staff_audit (subject, seq) WHERE subject IS NOT NULL",
            """
            CREATE TRIGGER staff_audit_append_only BEFORE UPDATE OR DELETE ON staff_audit
                FOR EACH ROW EXECUTE FUNCTION refuse_change('the staff audit trail is append-only')
            """,
            """
            CREATE TABLE lead_steps (
                seq            BIGSERIAL PRIMARY KEY,
                platform_id    TEXT NOT NULL,
                case_key       TEXT NOT NULL,
                uscc           TEXT,
                action         TEXT NOT NULL,
                stage_after    TEXT NOT NULL,
                officer        TEXT NOT NULL,
                role           TEXT,
                at             BIGINT NOT NULL,
                assignee       TEXT,
                note           TEXT,
                transferred_to TEXT,
                measure        TEXT,
                penalty_fen    BIGINT
            )
            """,
            "CREATE INDEX lead_steps_by_lead ON lead_steps (platform_id, case_key, seq)",
            """
            CREATE TRIGGER lead_steps_append_only BEFORE UPDATE OR DELETE ON lead_steps
                FOR EACH ROW EXECUTE FUNCTION refuse_change('lead steps are append-only')
            """,
            """
            CREATE TABLE leads (
                platform_id TEXT NOT NULL,
                case_key    TEXT NOT NULL,
                uscc        TEXT,
                stage       TEXT NOT NULL,
                assignee    TEXT,
                updated_at  BIGINT NOT NULL,
                PRIMARY KEY (platform_id, case_key)
            )
            """,
            "CREATE INDEX leads_by_uscc ON leads (uscc)",
            """
            CREATE TABLE repairs (
                id                 TEXT PRIMARY KEY NOT NULL,
                uscc               TEXT NOT NULL,
                list               TEXT NOT NULL,
                applicant          TEXT NOT NULL,
                source             TEXT NOT NULL,
                application_letter BIGINT NOT NULL,
                commitment_letter  BIGINT NOT NULL,
                note               TEXT,
                received_at        BIGINT NOT NULL,
                decide_by          TEXT NOT NULL,
                state              TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
                decided_by         TEXT,
                decided_at         BIGINT,
                reason             TEXT,
                registry_cursor    BIGINT
            )
            """,
            "CREATE INDEX repairs_by_uscc ON repairs (uscc)",
            "CREATE INDEX repairs_by_state ON repairs (state, decide_by)",
            """
            CREATE TABLE inspection_results (
                draw_id      BIGINT NOT NULL,
                uscc         TEXT NOT NULL,
                result       TEXT NOT NULL CHECK (result IN ('pass', 'problems')),
                follow_up    TEXT,
                inspectors   TEXT,
                recorded_by  TEXT NOT NULL,
                recorded_at  BIGINT NOT NULL,
                recorded_day TEXT NOT NULL,
                PRIMARY KEY (draw_id, uscc)
            )
            """,
            "CREATE INDEX inspection_results_by_uscc ON inspection_results (uscc, recorded_day)",
            """
            CREATE TABLE determinations (
                platform_id   TEXT NOT NULL,
                case_key      TEXT NOT NULL,
                uscc          TEXT,
                recommended   TEXT NOT NULL,
                first_here    BIGINT NOT NULL,
                decision      TEXT NOT NULL,
                note          TEXT,
                decided_by    TEXT NOT NULL,
                role          TEXT,
                decided_at    BIGINT NOT NULL,
                directive_id  TEXT,
                PRIMARY KEY (platform_id, case_key)
            )
            """,
            "CREATE INDEX determinations_by_uscc ON determinations (uscc)",
        ],
        [
            // As RegulatorSchema's twelfth step: the figures staff read without scanning.
            """
            CREATE TABLE record_counts (
                platform_id TEXT NOT NULL,
                type TEXT NOT NULL,
                records BIGINT NOT NULL,
                PRIMARY KEY (platform_id, type)
            )
            """,
            "INSERT INTO record_counts SELECT platform_id, type, count(*) FROM records GROUP BY platform_id, type",
            """
            CREATE TABLE enterprise_platforms (
                uscc TEXT NOT NULL,
                platform_id TEXT NOT NULL,
                merchants BIGINT NOT NULL,
                PRIMARY KEY (uscc, platform_id)
            )
            """,
            """
            INSERT INTO enterprise_platforms
                SELECT uscc, platform_id, count(*) FROM records WHERE type = 'merchant' AND uscc IS NOT NULL GROUP BY uscc, platform_id
            """,
            "CREATE TABLE enterprises (uscc TEXT PRIMARY KEY, platforms BIGINT NOT NULL)",
            "INSERT INTO enterprises SELECT uscc, count(*) FROM enterprise_platforms GROUP BY uscc",
            "ALTER TABLE platform_counters ADD COLUMN distinct_uscc BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE platform_counters ADD COLUMN enterprises_added BIGINT NOT NULL DEFAULT 0",
            "INSERT INTO platform_counters (platform_id) SELECT DISTINCT platform_id FROM records ON CONFLICT (platform_id) DO NOTHING",
            """
            UPDATE platform_counters SET distinct_uscc =
                (SELECT count(*) FROM enterprise_platforms e WHERE e.platform_id = platform_counters.platform_id)
            """,
            """
            UPDATE platform_counters SET enterprises_added =
                (SELECT count(*) FROM (SELECT uscc, min(platform_id) AS first FROM enterprise_platforms GROUP BY uscc) f
                 WHERE f.first = platform_counters.platform_id)
            """,
        ],
        [
            // As RegulatorSchema's thirteenth step: a district's lead queue through indexes.
            "CREATE INDEX records_case_division ON records (substr(uscc, 3, 6)) WHERE type = 'case'",
            "CREATE INDEX records_merchant_region ON records (json_extract(data, '$.region_code')) WHERE type = 'merchant'",
        ],
        [
            // As RegulatorSchema's fourteenth step: the console search's terms, kept by triggers.
            // `term` sorts bytewise (COLLATE "C") so a prefix is one range of the index, as in
            // SQLite, whatever the database's locale.
            """
            CREATE TABLE enterprise_search_terms (
                term TEXT COLLATE "C" NOT NULL,
                uscc TEXT NOT NULL,
                field TEXT NOT NULL,
                PRIMARY KEY (term, uscc, field)
            )
            """,
            """
            INSERT INTO enterprise_search_terms
                SELECT uscc, uscc, 'uscc' FROM records WHERE type = 'merchant' AND uscc IS NOT NULL
                UNION SELECT json_extract(data, '$.shop_name'), uscc, 'shop_name' FROM records
                    WHERE type = 'merchant' AND uscc IS NOT NULL AND json_extract(data, '$.shop_name') IS NOT NULL
                UNION SELECT key, uscc, 'platform_merchant_id' FROM records WHERE type = 'merchant' AND uscc IS NOT NULL
                UNION SELECT uscc, uscc, 'uscc' FROM registry
                UNION SELECT json_extract(content, '$.name'), uscc, 'name' FROM registry WHERE json_extract(content, '$.name') IS NOT NULL
                UNION SELECT json_extract(content, '$.legal_representative'), uscc, 'legal_representative' FROM registry
                    WHERE json_extract(content, '$.legal_representative') IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            """
            CREATE FUNCTION enterprise_search_terms_from_merchant() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.type = 'merchant' AND NEW.uscc IS NOT NULL THEN
                    INSERT INTO enterprise_search_terms VALUES (NEW.uscc, NEW.uscc, 'uscc') ON CONFLICT DO NOTHING;
                    INSERT INTO enterprise_search_terms VALUES (NEW.key, NEW.uscc, 'platform_merchant_id') ON CONFLICT DO NOTHING;
                    INSERT INTO enterprise_search_terms
                        SELECT json_extract(NEW.data, '$.shop_name'), NEW.uscc, 'shop_name'
                        WHERE json_extract(NEW.data, '$.shop_name') IS NOT NULL ON CONFLICT DO NOTHING;
                END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER enterprise_search_terms_merchant AFTER INSERT OR UPDATE OF data, uscc ON records
                FOR EACH ROW EXECUTE FUNCTION enterprise_search_terms_from_merchant()
            """,
            """
            CREATE FUNCTION enterprise_search_terms_from_registry() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO enterprise_search_terms VALUES (NEW.uscc, NEW.uscc, 'uscc') ON CONFLICT DO NOTHING;
                INSERT INTO enterprise_search_terms
                    SELECT json_extract(NEW.content, '$.name'), NEW.uscc, 'name'
                    WHERE json_extract(NEW.content, '$.name') IS NOT NULL ON CONFLICT DO NOTHING;
                INSERT INTO enterprise_search_terms
                    SELECT json_extract(NEW.content, '$.legal_representative'), NEW.uscc, 'legal_representative'
                    WHERE json_extract(NEW.content, '$.legal_representative') IS NOT NULL ON CONFLICT DO NOTHING;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER enterprise_search_terms_registry AFTER INSERT OR UPDATE OF content ON registry
                FOR EACH ROW EXECUTE FUNCTION enterprise_search_terms_from_registry()
            """,
        ],
        [
            // As RegulatorSchema's fifteenth step: `lead_regions`.
            """
            CREATE TABLE lead_regions (
                region TEXT NOT NULL,
                uscc TEXT NOT NULL,
                PRIMARY KEY (region, uscc)
            )
            """,
            """
            INSERT INTO lead_regions (region, uscc)
                SELECT DISTINCT json_extract(m.data, '$.region_code'), m.uscc FROM records m
                WHERE m.type = 'merchant' AND m.uscc IS NOT NULL AND json_extract(m.data, '$.region_code') IS NOT NULL
                  AND EXISTS (SELECT 1 FROM records c WHERE c.uscc = m.uscc AND c.type = 'case')
            """,
            "DROP INDEX records_merchant_region",
        ],
        [
            // As RegulatorSchema's sixteenth step: search terms written in bulk, not by triggers.
            "DROP TRIGGER enterprise_search_terms_merchant ON records",
            "DROP TRIGGER enterprise_search_terms_registry ON registry",
            "DROP FUNCTION enterprise_search_terms_from_merchant()",
            "DROP FUNCTION enterprise_search_terms_from_registry()",
        ],
        [
            // As RegulatorSchema's seventeenth step: officers' decisions on proposed ladder steps.
            """
            CREATE TABLE proposal_decisions (
                platform_id   TEXT NOT NULL,
                case_key      TEXT NOT NULL,
                step          BIGINT NOT NULL,
                proposed_at   TEXT NOT NULL,
                uscc          TEXT,
                decision      TEXT NOT NULL,
                until_day     TEXT,
                reason        TEXT,
                decided_by    TEXT NOT NULL,
                role          TEXT,
                decided_at    BIGINT NOT NULL,
                directive_id  TEXT NOT NULL,
                PRIMARY KEY (platform_id, case_key, step, proposed_at)
            )
            """,
            "CREATE INDEX proposal_decisions_by_uscc ON proposal_decisions (uscc)",
            "CREATE INDEX records_case_proposal ON records (json_extract(data, '$.proposal.state')) WHERE type = 'case'",
        ],
        [
            // As RegulatorSchema's eighteenth step: the kept roster decisions and their marks.
            """
            CREATE TABLE regulator_roster (
                uscc          TEXT PRIMARY KEY,
                member        BIGINT NOT NULL,
                member_since  TEXT,
                division      TEXT NOT NULL,
                reasons       TEXT NOT NULL,
                recheck_at    BIGINT,
                decided_at    BIGINT NOT NULL
            )
            """,
            "CREATE INDEX regulator_roster_members ON regulator_roster (division) WHERE member = 1",
            "CREATE INDEX regulator_roster_recheck ON regulator_roster (recheck_at) WHERE recheck_at IS NOT NULL",
            "CREATE TABLE roster_dirty (uscc TEXT PRIMARY KEY)",
            "INSERT INTO roster_dirty SELECT uscc FROM enterprises UNION SELECT uscc FROM roster_overrides ON CONFLICT DO NOTHING",
        ],
        [
            // As RegulatorSchema's nineteenth step: the roster decisions pushed to the platforms.
            """
            CREATE TABLE roster_verdicts (
                platform_id   TEXT NOT NULL,
                uscc          TEXT NOT NULL,
                member        BIGINT NOT NULL,
                directive_id  TEXT NOT NULL,
                sent_at       BIGINT NOT NULL,
                PRIMARY KEY (uscc, platform_id)
            )
            """,
            "INSERT INTO roster_dirty SELECT uscc FROM regulator_roster ON CONFLICT DO NOTHING",
        ],
        [
            // As RegulatorSchema's twentieth step: the exempt turnover summed across platforms.
            """
            CREATE TABLE turnover_sums (
                person_key   TEXT PRIMARY KEY,
                total_fen    BIGINT NOT NULL,
                over         BIGINT NOT NULL,
                storefronts  TEXT NOT NULL,
                sent_at      BIGINT NOT NULL
            )
            """,
            "CREATE INDEX records_without_uscc ON records (type) WHERE uscc IS NULL",
        ],
        [
            // As RegulatorSchema's twenty-first step: the cases that carry an art. 33 recommendation.
            "CREATE INDEX records_case_determination ON records (json_extract(data, '$.determination.result')) WHERE type = 'case'",
        ],
        [
            // As RegulatorSchema's twenty-second step: the kept roster by place and standing.
            "ALTER TABLE regulator_roster ADD COLUMN worst_class TEXT",
            "ALTER TABLE regulator_roster ADD COLUMN proposed_by TEXT NOT NULL DEFAULT '[]'",
            """
            CREATE TABLE roster_places (
                region TEXT NOT NULL,
                uscc   TEXT NOT NULL,
                PRIMARY KEY (region, uscc)
            )
            """,
            "CREATE INDEX roster_places_by_uscc ON roster_places (uscc)",
            "INSERT INTO roster_places SELECT division, uscc FROM regulator_roster WHERE division != '' ON CONFLICT DO NOTHING",
            """
            INSERT INTO roster_places
                SELECT DISTINCT json_extract(m.data, '$.region_code'), m.uscc FROM regulator_roster r
                JOIN records m ON m.uscc = r.uscc AND m.type = 'merchant' WHERE json_extract(m.data, '$.region_code') IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            "INSERT INTO roster_dirty SELECT uscc FROM regulator_roster ON CONFLICT DO NOTHING",
        ],
        [
            // As RegulatorSchema's twenty-third step: the directives that expect a receipt.
            """
            CREATE INDEX directives_expecting_receipt ON directives (platform_id, cursor)
                WHERE lower(type) IN ('guidance', 'reinstate', 'suspend', 'takedown', 'terminate', 'warning')
            """,
        ],
        [
            // As RegulatorSchema's twenty-fourth step: the associations' prompts as sent.
            """
            CREATE TABLE association_prompts (
                id           BIGSERIAL PRIMARY KEY,
                association  TEXT NOT NULL,
                title        TEXT NOT NULL,
                text         TEXT NOT NULL,
                issuer_name  TEXT NOT NULL,
                issued_by    TEXT NOT NULL,
                members      BIGINT NOT NULL,
                storefronts  BIGINT NOT NULL,
                issued_at    BIGINT NOT NULL
            )
            """,
            "CREATE INDEX association_prompts_by_association ON association_prompts (association, id)",
        ],
        outcomeFigures,
        drawSizes,
        staffDirectives,
        leadQueue,
        rosterMarks,
        drawSubjects,
        closedStorefronts,
        recordsIndexes,
        tradingEnterprises,
        jsonbRows,
        closedCounts,
        rosterHistoryIndexes,
        drawPreparations,
        rosterMemberCounts,
        caseUSCCs,
        caseQueues,
        rosterMarksVacuum,
    ]

    /// PostgreSQL only: the roster marks are a queue — the intake inserts them, the keeper deletes
    /// them in USCC order — and autovacuum's default (20 % of the table dead) let millions of
    /// deleted marks' index entries pile up while a national intake kept 13 million marks: the
    /// first read of a region's marks after the keeper passed stepped over each one and took 978 ms
    /// at 20,000,000 merchants (docs/benchmarks.md, session 21). Vacuumed after 1 % of the marks
    /// plus 10,000 are dead, the dead entries stay a fraction of that; the vacuum's cost beside the
    /// intake and the keeper is measured in docs/benchmarks.md (session 22). SQLite removes an
    /// index entry when its row is deleted. Written to be applied again.
    static let rosterMarksVacuum = [
        "ALTER TABLE roster_dirty SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 10000)",
    ]

    /// The version `rosterMarksVacuum` brings the database to.
    static var rosterMarksVacuumVersion: Int { steps.firstIndex(of: rosterMarksVacuum)! + 1 }

    /// The version `caseQueues` brings the database to.
    static var caseQueuesVersion: Int { steps.firstIndex(of: caseQueues)! + 1 }

    /// As RegulatorSchema.caseQueues.
    static let caseQueues = LeadQueueRows.caseQueueColumns.map { "ALTER TABLE lead_queue ADD COLUMN \($0.column) TEXT" }
        + [LeadQueueRows.upsert(cases: LeadQueueRows.queuedCases)] + RegulatorSchema.caseQueueIndexes

    /// PostgreSQL only: the cases by USCC again (`records_case` was dropped by
    /// `recordsIndexes` as answering nothing `records_by_uscc` does not). Every batch's lead queue
    /// statement asks for the cases of the batch's enterprises (about 1,500 USCCs): at 20,000,000
    /// merchants that probe of `records_by_uscc` (every record, 2.7 GB) was 63 of the statement's
    /// 106 ms, reading pages the cache did not hold; cases are a fiftieth of the records, and so
    /// is this index (docs/benchmarks.md, session 21). A new record that is not a case only
    /// checks the index's condition. SQLite kept `records_case`.
    static let caseUSCCs = ["CREATE INDEX IF NOT EXISTS records_case_by_uscc ON records (uscc) WHERE type = 'case'"]

    /// As RegulatorSchema.rosterMemberCounts: the roster's members per division, kept by the keeper.
    static let rosterMemberCounts = [
        "CREATE TABLE roster_member_counts (division TEXT PRIMARY KEY, members BIGINT NOT NULL)",
        RegulatorSchema.rosterMemberCountsFill,
    ]

    /// The version `rosterMemberCounts` brings the database to.
    static var rosterMemberCountsVersion: Int { steps.firstIndex(of: rosterMemberCounts)! + 1 }

    /// As RegulatorSchema.drawPreparations: draws prepared for the console's preview.
    static let drawPreparations = [
        """
        CREATE TABLE draw_preparations (
            id                 BIGSERIAL PRIMARY KEY,
            created_by         TEXT NOT NULL,
            created_at         BIGINT NOT NULL,
            heartbeat_at       BIGINT NOT NULL,
            state              TEXT NOT NULL,
            phase              TEXT NOT NULL,
            request            TEXT NOT NULL,
            error              TEXT,
            prepared_at        BIGINT,
            seed               TEXT NOT NULL,
            as_of              TEXT,
            pack_version       TEXT,
            pack_serial        BIGINT,
            population_digest  TEXT,
            region             TEXT,
            drawn_count        BIGINT,
            strata             TEXT,
            population_count   BIGINT,
            recently_inspected BIGINT,
            inspectors_count   BIGINT,
            draw_id            BIGINT,
            -- Last: a row's columns are read in order, and these two run to megabytes for a city.
            population         TEXT,
            result             TEXT
        )
        """,
        "CREATE INDEX draw_preparations_by_age ON draw_preparations (created_at)",
        """
        CREATE TABLE draw_preparation_subjects (
            preparation_id BIGINT NOT NULL,
            position       INTEGER NOT NULL,
            uscc           TEXT NOT NULL,
            name           TEXT NOT NULL,
            stratum        TEXT NOT NULL,
            class          TEXT,
            mode           TEXT NOT NULL,
            inspectors     TEXT NOT NULL,
            PRIMARY KEY (preparation_id, position)
        )
        """,
    ]

    /// The version `drawPreparations` brings the database to.
    static var drawPreparationsVersion: Int { steps.firstIndex(of: drawPreparations)! + 1 }

    /// As RegulatorSchema.drawSubjects: a draw's drawn enterprises as rows, its strata and
    /// population size beside it; older draws filled from their JSON.
    static let drawSubjects = [
        """
        CREATE TABLE draw_subjects (
            draw_id     BIGINT NOT NULL,
            position    INTEGER NOT NULL,
            uscc        TEXT NOT NULL,
            name        TEXT NOT NULL,
            stratum     TEXT NOT NULL,
            class       TEXT,
            mode        TEXT NOT NULL,
            inspectors  TEXT NOT NULL,
            PRIMARY KEY (draw_id, position)
        )
        """,
        "CREATE UNIQUE INDEX draw_subjects_by_uscc ON draw_subjects (draw_id, uscc)",
        "ALTER TABLE draws ADD COLUMN strata TEXT",
        "ALTER TABLE draws ADD COLUMN population_count BIGINT",
        """
        INSERT INTO draw_subjects
            SELECT d.id, e.ord - 1, e.v->>'uscc', coalesce(e.v->>'name', ''), e.v->>'stratum', e.v->>'class',
                   coalesce(e.v->>'mode', 'on_site'), coalesce((e.v->'inspectors')::text, '[]')
            FROM draws d, jsonb_array_elements(d.result::jsonb -> 'drawn') WITH ORDINALITY AS e(v, ord)
        """,
        "UPDATE draws SET strata = (result::jsonb -> 'strata')::text, population_count = (result::jsonb ->> 'population_count')::bigint",
    ]

    /// The version `drawSubjects` brings the database to.
    static var drawSubjectsVersion: Int { steps.firstIndex(of: drawSubjects)! + 1 }

    /// As RegulatorSchema.closedStorefronts: the closed storefronts the outcome report takes
    /// from its merchants, by a partial index (json_extract is IMMUTABLE here, so it may stand in
    /// an index's predicate).
    static let closedStorefronts = [
        """
        CREATE INDEX records_closed_storefronts ON records (uscc)
            WHERE type = 'merchant' AND json_extract(data, '$.status') IN ('closed', '关闭')
        """,
    ]

    /// The version `closedStorefronts` brings the database to.
    static var closedStorefrontsVersion: Int { steps.firstIndex(of: closedStorefronts)! + 1 }

    /// PostgreSQL only: what every new record paid for and no query reads. `records.id` (a
    /// sequence and a unique index) was the rowid SQLite gives for nothing; no statement reads it
    /// (the outcome counts' backfill pages by the record's key). `records_roster`, `records_class`
    /// and `records_case` (USCC, for one type each) answer nothing `records_by_uscc` (USCC, type)
    /// does not: every read of them asks for a USCC or a set of USCCs and the type. Measured in
    /// docs/benchmarks.md: the four were about a sixth of the records' insert. SQLite keeps them
    /// (its id is the rowid; its planner is left as it is). Written to be applied again (IF EXISTS).
    static let recordsIndexes = [
        "ALTER TABLE records DROP COLUMN IF EXISTS id",
        "DROP INDEX IF EXISTS records_roster",
        "DROP INDEX IF EXISTS records_class",
        "DROP INDEX IF EXISTS records_case",
    ]

    /// The version `recordsIndexes` brings the database to.
    static var recordsIndexesVersion: Int { steps.firstIndex(of: recordsIndexes)! + 1 }

    /// As RegulatorSchema.tradingEnterprises: the enterprises with a storefront still trading,
    /// kept per enterprise and per division, filled from the records.
    static let tradingEnterprises = ["ALTER TABLE enterprises ADD COLUMN trading BIGINT NOT NULL DEFAULT 0"]
        + RegulatorSchema.tradingEnterprisesFill

    /// The version `tradingEnterprises` brings the database to.
    static var tradingEnterprisesVersion: Int { steps.firstIndex(of: tradingEnterprises)! + 1 }

    /// PostgreSQL only: `json_extract` of a `jsonb` value, for the rows a statement writes from
    /// one JSON array parameter (SQLDialect.jsonObjects: the array parsed once, its objects
    /// `jsonb`). The text one parses its document on every call; the same answer, as it reads
    /// the same `jsonb`. Written to be applied again (OR REPLACE).
    static let jsonbRows = [
        """
        CREATE OR REPLACE FUNCTION json_extract(document jsonb, path TEXT) RETURNS TEXT
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT document #>> string_to_array(substr(path, 3), '.') $$
        """,
    ]

    /// As RegulatorSchema.closedCounts: the closed storefronts per division, kept by the intake,
    /// instead of a partial index whose predicate parsed every merchant's JSON.
    static let closedCounts = ["CREATE TABLE closed_storefronts (division TEXT PRIMARY KEY, storefronts BIGINT NOT NULL)"]
        + RegulatorSchema.closedCountsFill

    /// The version `closedCounts` brings the database to.
    static var closedCountsVersion: Int { steps.firstIndex(of: closedCounts)! + 1 }

    /// PostgreSQL only: what every roster item's history row paid for and no query reads. The
    /// history is read by platform and key (`roster_history_by_key`, with `id` in it for the
    /// order); no statement reads it by its `id` alone or by USCC, so `roster_history_pkey` and
    /// `roster_history_by_uscc` were two of the three index entries each of the agents' roster
    /// items wrote (one per storefront and pass: the largest history). The ids stay, numbered by
    /// their sequence. SQLite keeps both (its id is the rowid; its index is cheap to keep). Written
    /// to be applied again (IF EXISTS).
    static let rosterHistoryIndexes = [
        "ALTER TABLE roster_history DROP CONSTRAINT IF EXISTS roster_history_pkey",
        "DROP INDEX IF EXISTS roster_history_by_uscc",
    ]

    /// The version `rosterHistoryIndexes` brings the database to.
    static var rosterHistoryIndexesVersion: Int { steps.firstIndex(of: rosterHistoryIndexes)! + 1 }

    /// The version `jsonbRows` brings the database to.
    static var jsonbRowsVersion: Int { steps.firstIndex(of: jsonbRows)! + 1 }

    /// PostgreSQL only: the roster marks (`roster_dirty`) lose their unique key. With it, an
    /// intake marking an enterprise waited for any transaction holding that enterprise's mark —
    /// the keeper deciding it, another platform's batch — while holding its own row locks, which
    /// other batches then waited for (measured: pg_stat_statements, docs/benchmarks.md). Without
    /// it a mark is an insert that never waits; an enterprise marked twice has two rows, and the
    /// keeper takes every row of the enterprises it decides. SQLite has one writer, no such wait.
    static let rosterMarks = [
        // IF EXISTS: a test that rewinds the schema to an earlier step applies this one again.
        "ALTER TABLE roster_dirty DROP CONSTRAINT IF EXISTS roster_dirty_pkey",
        "CREATE INDEX IF NOT EXISTS roster_dirty_by_uscc ON roster_dirty (uscc)",
    ]

    /// The version `leadQueue` brings the database to.
    static var leadQueueVersion: Int { steps.firstIndex(of: leadQueue)! + 1 }

    /// As RegulatorSchema.leadQueue: the lead queue's sort keys per case and place, kept by the
    /// intake; filled here from the cases stored.
    static let leadQueue = [
        """
        CREATE TABLE lead_queue (
            platform_id    TEXT NOT NULL,
            case_key       TEXT NOT NULL,
            place          TEXT NOT NULL,
            uscc           TEXT,
            stage          TEXT NOT NULL,
            pending        INTEGER NOT NULL,
            assignee       TEXT,
            overdue_state  INTEGER NOT NULL,
            no_deadline    INTEGER NOT NULL,
            deadline       TEXT,
            opened_at      TEXT,
            PRIMARY KEY (platform_id, case_key, place)
        )
        """,
        """
        CREATE INDEX lead_queue_order ON lead_queue (place, pending, overdue_state, no_deadline, deadline, opened_at, platform_id,
                                                     case_key)
        """,
        """
        CREATE INDEX lead_queue_by_uscc ON lead_queue (uscc, place, pending, overdue_state, no_deadline, deadline, opened_at,
                                                       platform_id, case_key)
        """,
        LeadQueueRows.upsert(cases: LeadQueueRows.allCases, caseQueues: false),
        "DROP TABLE lead_regions",
    ]

    /// As RegulatorSchema.staffDirectives.
    static let staffDirectives = [
        // As RegulatorSchema.staffDirectives: the directives staff issued by hand,
        // an enterprise's directives by its USCC, a directive's receipts in their order.
        "ALTER TABLE directives ADD COLUMN issued_by TEXT",
        "CREATE INDEX directives_issued_by_staff ON directives (cursor) WHERE issued_by IS NOT NULL",
        "CREATE INDEX directives_by_uscc ON directives (uscc, cursor) WHERE uscc IS NOT NULL",
        "DROP INDEX receipts_by_instruction",
        "CREATE INDEX receipts_by_instruction ON receipts (platform_id, instruction_id, at, receipt_id)",
    ]

    /// The version `staffDirectives` brings the database to.
    static var staffDirectivesVersion: Int { steps.firstIndex(of: staffDirectives)! + 1 }

    /// As RegulatorSchema.drawSizes: the draws' division and size, older draws from their JSON.
    static let drawSizes = [
        "ALTER TABLE draws ADD COLUMN region TEXT",
        "ALTER TABLE draws ADD COLUMN drawn_count BIGINT",
        "UPDATE draws SET region = result::jsonb ->> 'region', drawn_count = jsonb_array_length(result::jsonb -> 'drawn')",
        "CREATE INDEX draws_by_region ON draws (region, id)",
    ]

    /// The version `drawSizes` brings the database to.
    static var drawSizesVersion: Int { steps.firstIndex(of: drawSizes)! + 1 }

    /// As RegulatorSchema's twenty-fifth step: the outcome figures per day and division and a
    /// region's storefronts and enterprises per division, kept by the intake; the records already
    /// stored are counted by OutcomeCountsBackfill in the same transaction. `day` sorts bytewise
    /// (COLLATE "C"), so a period is one range of the key, as in SQLite, whatever the locale.
    static let outcomeFigures = [
        """
        CREATE TABLE outcome_counts (
            day TEXT COLLATE "C" NOT NULL,
            division TEXT NOT NULL,
            figure TEXT NOT NULL,
            records BIGINT NOT NULL,
            PRIMARY KEY (day, division, figure)
        )
        """,
        """
        CREATE TABLE division_storefronts (
            division TEXT NOT NULL,
            platform_id TEXT NOT NULL,
            merchants BIGINT NOT NULL,
            PRIMARY KEY (division, platform_id)
        )
        """,
        """
        INSERT INTO division_storefronts
            SELECT substr(uscc, 3, 6), platform_id, sum(merchants) FROM enterprise_platforms GROUP BY substr(uscc, 3, 6), platform_id
        """,
        "CREATE TABLE division_enterprises (division TEXT PRIMARY KEY, enterprises BIGINT NOT NULL)",
        """
        INSERT INTO division_enterprises
            SELECT substr(uscc, 3, 6), count(*) FROM enterprises WHERE platforms > 0 GROUP BY substr(uscc, 3, 6)
        """,
    ]

    /// The version `outcomeFigures` brings the database to: after it, the backfill runs.
    static var outcomeFiguresVersion: Int { steps.firstIndex(of: outcomeFigures)! + 1 }
}
