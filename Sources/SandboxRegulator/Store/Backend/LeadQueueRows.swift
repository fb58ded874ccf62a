import SandboxStorage

/// The statements that keep `lead_queue`: per case, a row for every place whose queue holds it —
/// '' (the whole country: the city bureau's queue) and each district with jurisdiction, as
/// Jurisdiction.district has it (the registration division, USCC characters 3–8, and the
/// `region_code` of each storefront filed under the same USCC on any platform) — with what the
/// queue sorts and filters by, copied from the case item and its lead as the queue reads them.
/// Both engines run the same text; `source` names the cases as a row source aliased
/// `t(platform_id, key)`: one case, an enterprise's cases, an array of them, or all.
enum LeadQueueRows {
    /// The case's rows as they should be now: added, or brought up to date where a row is there
    /// and differs — a row already as it should be is left alone (an enterprise's cases are
    /// refreshed by every batch that writes one of its storefronts, and on PostgreSQL an update
    /// that changes nothing still writes a new row version and its index entries). In (case,
    /// place) order, so two PostgreSQL nodes refreshing the same cases lock their rows in one
    /// order and wait for each other rather than deadlock.
    ///
    /// `caseQueues`: with the proposal's and the art. 33 recommendation's sort keys (schema step
    /// `caseQueues`, `caseQueueColumns`); false only in the schema steps from before those columns.
    static func upsert(cases source: String, caseQueues: Bool = true) -> String {
        let finals = LeadStage.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let more = caseQueues ? caseQueueColumns.map(\.column) : []
        return places(source, fields: true, caseQueues: caseQueues) + """
            INSERT INTO lead_queue (platform_id, case_key, place, uscc, stage, pending, assignee, overdue_state, no_deadline,
                                    deadline, opened_at\(more.map { ", " + $0 }.joined()))
            SELECT p.platform_id, p.key, p.place, p.uscc, p.stage, CASE WHEN p.stage IN (\(finals)) THEN 0 ELSE 1 END, p.assignee,
                   CASE WHEN p.state = 'overdue' THEN 1 ELSE 0 END, CASE WHEN p.deadline IS NULL THEN 1 ELSE 0 END,
                   p.deadline, p.opened_at\(more.map { ", p." + $0 }.joined())
            FROM p
            WHERE TRUE ORDER BY p.platform_id, p.key, p.place
            ON CONFLICT (platform_id, case_key, place) DO UPDATE SET
                uscc = excluded.uscc, stage = excluded.stage, pending = excluded.pending, assignee = excluded.assignee,
                overdue_state = excluded.overdue_state, no_deadline = excluded.no_deadline, deadline = excluded.deadline,
                opened_at = excluded.opened_at\(more.map { ", \($0) = excluded.\($0)" }.joined())
            WHERE lead_queue.uscc IS DISTINCT FROM excluded.uscc OR lead_queue.stage IS DISTINCT FROM excluded.stage
               OR lead_queue.pending IS DISTINCT FROM excluded.pending OR lead_queue.assignee IS DISTINCT FROM excluded.assignee
               OR lead_queue.overdue_state IS DISTINCT FROM excluded.overdue_state
               OR lead_queue.no_deadline IS DISTINCT FROM excluded.no_deadline
               OR lead_queue.deadline IS DISTINCT FROM excluded.deadline OR lead_queue.opened_at IS DISTINCT FROM excluded.opened_at\(
                   more.map { " OR lead_queue.\($0) IS DISTINCT FROM excluded.\($0)" }.joined())
            """
    }

    /// Takes out the rows of these cases for places that no longer hold them (the case moved to
    /// another enterprise, a storefront moved to another region or another USCC).
    static func deleteStale(cases source: String) -> String {
        places(source, fields: false) + """
            DELETE FROM lead_queue
            WHERE (platform_id, case_key) IN (SELECT platform_id, key FROM \(source))
              AND (platform_id, case_key, place) NOT IN (SELECT platform_id, key, place FROM p)
            """
    }

    /// `c`: the cases with their lead's stage and assignee and (`fields`) the case item's fields
    /// the queue sorts by, read from its JSON once per case rather than once per place and use
    /// (on PostgreSQL each `json_extract` parses the whole document: measured in
    /// docs/benchmarks.md); `p`: each case's places, a row per place carrying the case's columns
    /// (a case is one row of `c`, so the UNION keeps one row per case and place). Joined back to
    /// `c` instead, PostgreSQL's planner, which cannot size a CTE, compared every place with every
    /// case of the batch (a nested loop: 98,124 pairs for 444 rows, a third of the statement;
    /// docs/benchmarks.md, issue 15). A division or region that is '' is no
    /// district's: only the whole country's row stands for it (and `<> ''` is false for none).
    /// CROSS JOIN keeps SQLite's planner from reading every storefront to probe the few cases
    /// (it cannot tell `c` is small; measured at 469,000 merchants, the intake slowed to a
    /// crawl); PostgreSQL plans it as the join it is.
    private static func places(_ source: String, fields: Bool, caseQueues: Bool = false) -> String {
        let queues = caseQueues ? caseQueueColumns.map { ", json_extract(r.data, '\($0.path)') AS \($0.column)" }.joined() : ""
        let fields = fields ? """
            , json_extract(r.data, '$.state') AS state, json_extract(r.data, '$.deadline') AS deadline,
                   json_extract(r.data, '$.opened_at') AS opened_at\(queues)
            """ : ""
        return """
        WITH c AS (
            SELECT r.platform_id, r.key, r.uscc, coalesce(l.stage, 'new') AS stage, l.assignee\(fields) FROM \(source)
            JOIN records r ON r.platform_id = t.platform_id AND r.type = 'case' AND r.key = t.key
            LEFT JOIN leads l ON l.platform_id = r.platform_id AND l.case_key = r.key),
        p AS (
            SELECT c.*, CAST('' AS TEXT) AS place FROM c
            UNION SELECT c.*, substr(c.uscc, 3, 6) FROM c WHERE c.uscc IS NOT NULL AND substr(c.uscc, 3, 6) <> ''
            UNION SELECT c.*, json_extract(m.data, '$.region_code') FROM c CROSS JOIN records m
                WHERE m.uscc = c.uscc AND m.type = 'merchant' AND json_extract(m.data, '$.region_code') <> '')

        """
    }

    /// Runs both statements over `source` with its parameters (text, from ?1): the rows are
    /// what the case's record, lead and storefronts now say. Without `pruning` only the upsert:
    /// a case's places shrink only when a stored case or storefront is replaced (another USCC, a
    /// storefront's other region); new records and lead steps only add places or change rows.
    static func keep(_ database: some SQLSession, _ source: String, pruning: Bool = true, _ values: String...) throws {
        for sql in pruning ? [upsert(cases: source), deleteStale(cases: source)] : [upsert(cases: source)] {
            let s = try database.prepare(sql)
            defer { s.reset() }
            for (i, value) in values.enumerated() { try s.bind(Int32(i + 1), value) }
            try s.step()
        }
    }

    /// One case, by platform (?1) and key (?2).
    static let oneCase = "(SELECT CAST(?1 AS TEXT) AS platform_id, CAST(?2 AS TEXT) AS key) t"
    /// An enterprise's cases, by USCC (?1).
    static let enterpriseCases = "(SELECT platform_id, key FROM records WHERE uscc = ?1 AND type = 'case') t"
    /// The proposals' and recommendations' queue columns of `lead_queue` and the case item's
    /// field each copies (schema step `caseQueues`).
    static let caseQueueColumns: [(column: String, path: String)] = [
        ("proposal_state", "$.proposal.state"), ("proposal_first", "$.proposal.first_proposed_at"),
        ("recommendation", "$.determination.result"), ("rectified_at", "$.rectified_at"),
    ]

    /// The cases with a proposal or an art. 33 recommendation (the schema step that adds their
    /// queues), through the expression indexes on both.
    static let queuedCases = """
        (SELECT platform_id, key FROM records WHERE type = 'case' AND json_extract(data, '$.proposal.state') IS NOT NULL
         UNION SELECT platform_id, key FROM records WHERE type = 'case' AND json_extract(data, '$.determination.result') IS NOT NULL) t
        """
    /// Every case (the schema step that fills the table).
    static let allCases = "(SELECT platform_id, key FROM records WHERE type = 'case') t"
}
