import Foundation
import SandboxCore
import SandboxPolicy
import SandboxStorage

// The policy's own memory (docs/policy.md §11): cases, instructions, the prompt ledger, roster
// and class state, the current policy feed items.
extension AgentState {
    static let caseEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// The record with its rule's snapshot (column 1: `case_rules.rule`, NULL when the record holds it).
    static let caseColumns = "record, (SELECT rule FROM case_rules WHERE id = rule_snapshot)"

    /// A case from its stored record (JSON as agents before v12 stored it, or `PolicyItemCodec`'s
    /// encoding of it) and its rule's snapshot.
    func decodeCase(_ s: Statement) throws -> PolicyCase {
        guard let slim = itemCodec.decode(s.blob(0)) else {
            throw StateError.unreadable("cases.record", found: "bytes no agent stores (not JSON, not a known encoding)")
        }
        if !s.isNull(1) {
            let ruleJSON = s.blob(1)
            if let rule = caseRule(read: ruleJSON), let c = CaseRecordReader.policyCase(slim, rule: rule) { return c }
            // Not the shape the reader knows: JSONDecoder reads it, or names what is wrong.
            return try JSONDecoder().decode(PolicyCase.self, from: Data(CaseRecord.withRule(slim, rule: ruleJSON)))
        }
        return try JSONDecoder().decode(PolicyCase.self, from: Data(slim))
    }

    private func caseRule(read json: [UInt8]) -> CaseRuleSnapshot? {
        if let known = caseRulesRead[json] { return known }
        guard let rule = CaseRecordReader.rule(json) else { return nil }
        if caseRulesRead.count >= 256 { caseRulesRead.removeAll() }
        caseRulesRead[json] = rule
        return rule
    }

    /// Open and overdue cases, and terminated ones still watched for their condition to clear.
    func openCases() throws -> [PolicyCase] {
        let s = try database.prepare("SELECT \(Self.caseColumns) FROM cases WHERE watched = 1 ORDER BY id")
        defer { s.reset() }
        var out: [PolicyCase] = []
        while try s.step() { out.append(try decodeCase(s)) }
        return out
    }

    public func policyCase(id: String) throws -> PolicyCase? {
        let s = try database.prepare("SELECT \(Self.caseColumns) FROM cases WHERE id = ?")
        defer { s.reset() }
        try s.bind(1, id)
        guard try s.step() else { return nil }
        return try decodeCase(s)
    }

    /// Every case, newest first (reports).
    public func allCases(_ body: (PolicyCase) throws -> Void) throws {
        let s = try database.prepareUncached("SELECT \(Self.caseColumns) FROM cases ORDER BY id")
        while try s.step() { try body(try decodeCase(s)) }
    }

    /// The id of a rule snapshot in `case_rules`, stored the first time it is met.
    func caseRuleID(_ rule: [UInt8]) throws -> Int64 {
        let find = try database.prepare("SELECT id FROM case_rules WHERE rule = ?")
        try find.bind(1, rule)
        let found = try find.step() ? find.int64(0) : nil
        find.reset()
        if let found { return found }
        let add = try database.prepare("INSERT INTO case_rules (rule) VALUES (?)")
        defer { add.reset() }
        try add.bind(1, rule)
        try add.step()
        return database.lastInsertRowID
    }

    /// A case's rule snapshot as stored: its bytes and its `case_rules` id.
    func caseRule(_ rule: CaseRuleSnapshot) throws -> (bytes: [UInt8], id: Int64) {
        let bytes = Array(try Self.caseEncoder.encode(rule))
        return (bytes, try caseRuleID(bytes))
    }

    /// A case's columns and its record, in stored form (`CaseRecord.json` compressed against the
    /// records' dictionary, schema v12: 81,685 cases of a first pass were 70 MiB of JSON records),
    /// beside its rule snapshot's `case_rules` id (`caseRule`): the snapshot is stored once.
    func storeCase(_ c: PolicyCase, nextDue: Int64?, record: [UInt8], ruleID: Int64) throws {
        let s = try database.prepare("""
            INSERT INTO cases (id, platform_merchant_id, subject, rule_id, case_key, state, severity, addressee,
                               suspension_in_force, watched, opened_day, next_due_at, record, rule_snapshot)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, suspension_in_force = excluded.suspension_in_force,
              watched = excluded.watched, next_due_at = excluded.next_due_at, record = excluded.record,
              rule_snapshot = excluded.rule_snapshot
            """)
        defer { s.reset() }
        try s.bind(all: c.id, c.merchantID, c.subject, c.ruleID, c.caseKey, c.state.rawValue, c.rule.severity.rawValue,
                        c.rule.addressee.rawValue, c.suspensionInForce ? 1 : 0, c.isWatched ? 1 : 0, c.openedDay, nextDue,
                        record, ruleID)
        try s.step()
    }

    /// A case with its record encoded here (tests and tools; a pass's renderer encodes its own).
    func storeCase(_ c: PolicyCase, nextDue: Int64?) throws {
        try storeCase(c, nextDue: nextDue, record: itemCodec.encode(CaseRecord.json(c), with: .caseRecords),
                      ruleID: caseRule(c.rule).id)
    }

    /// Every watched case as a summary, from the indexed columns (no record is decoded).
    func caseIndex() throws -> [CaseSummary] {
        let s = try database.prepareUncached("""
            SELECT id, platform_merchant_id, rule_id, state, severity, addressee, suspension_in_force, next_due_at
            FROM cases WHERE watched = 1
            """)
        var out: [CaseSummary] = []
        while try s.step() {
            guard let state = PolicyCase.State(rawValue: s.string(3) ?? ""),
                  let severity = FindingSeverity(rawValue: s.string(4) ?? ""),
                  let addressee = PackAddressee(rawValue: s.string(5) ?? "") else { continue }
            out.append(CaseSummary(id: s.string(0) ?? "", merchantID: s.string(1) ?? "", ruleID: s.string(2) ?? "",
                                   state: state, severity: severity, addressee: addressee,
                                   suspensionInForce: s.int64(6) != 0, watched: true, nextDueAt: s.int64OrNil(7)))
        }
        return out
    }

    /// `merchant ␟ rule ␟ event` of every event case.
    func eventCaseKeys() throws -> Set<String> {
        let s = try database.prepare("SELECT platform_merchant_id, rule_id, case_key FROM cases WHERE case_key != ''")
        defer { s.reset() }
        var out = Set<String>()
        while try s.step() {
            out.insert(PolicyPassInput.eventCaseKey(s.string(0) ?? "", s.string(1) ?? "", s.string(2) ?? ""))
        }
        return out
    }

    /// Case ids of a subject (and rule) opened on a day in [from, before); withdrawn cases and the
    /// platform's own cases (RL-09) are not the merchant's history.
    func earlierCaseIDs(subject: String, ruleID: String?, fromDay: Int, beforeDay: Int) throws -> [String] {
        let s = try database.prepare("""
            SELECT id FROM cases WHERE subject = ?1 AND (?2 IS NULL OR rule_id = ?2) AND opened_day >= ?3 AND opened_day < ?4
              AND state != 'withdrawn' AND addressee = 'merchant' ORDER BY id
            """)
        defer { s.reset() }
        try s.bind(all: subject, ruleID, fromDay, beforeDay)
        var out: [String] = []
        while try s.step() { out.append(s.string(0) ?? "") }
        return out
    }

    /// Instructions still waiting for their receipt.
    func awaitedInstructions() throws -> [AwaitedInstruction] {
        let s = try database.prepare("""
            SELECT id, case_id, kind, receipt_due_day FROM policy_instructions WHERE receipt_state = 'awaiting' ORDER BY id
            """)
        defer { s.reset() }
        var out: [AwaitedInstruction] = []
        while try s.step() {
            guard let kind = PolicyInstruction.Kind(rawValue: s.string(2) ?? "") else { continue }
            out.append(AwaitedInstruction(id: s.string(0) ?? "", caseID: s.string(1) ?? "", kind: kind, receiptDueDay: s.intOrNil(3)))
        }
        return out
    }

    /// Receipts for agent instructions not matched yet: any for an awaited instruction, and a
    /// `rectified` one for any instruction (it clears a receipt-cleared case, docs/policy.md §6.3).
    func unmatchedPolicyReceipts() throws -> (receipts: [ReceiptRecord], cases: [String: String]) {
        let s = try database.prepare("""
            SELECT r.receipt_id, r.instruction_id, r.platform_merchant_id, r.action, r.at, r.note, p.case_id
            FROM receipts r JOIN policy_instructions p ON p.id = r.instruction_id
            WHERE (p.receipt_state = 'awaiting' OR (r.action = 'rectified' AND p.receipt_id IS NOT r.receipt_id))
            ORDER BY r.at, r.receipt_id
            """)
        defer { s.reset() }
        var out: [ReceiptRecord] = []
        var cases: [String: String] = [:]
        while try s.step() {
            guard let action = ReceiptAction(rawValue: s.string(3) ?? "") else { continue }
            out.append(ReceiptRecord(receiptID: s.string(0) ?? "", instructionID: s.string(1) ?? "",
                                     platformMerchantID: s.string(2) ?? "", action: action, at: s.int64(4), note: s.string(5)))
            if let c = s.string(6) { cases[s.string(1) ?? ""] = c }
        }
        return (out, cases)
    }

    /// The instruction's columns; its line is its `instruction` policy item (schema v10).
    func storeInstruction(_ i: PolicyInstruction) throws {
        let s = try database.prepare("""
            INSERT INTO policy_instructions (id, kind, case_id, platform_merchant_id, issued_at, receipt_due_day, receipt_state)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        defer { s.reset() }
        try s.bind(all: i.id, i.kind.rawValue, i.caseID.isEmpty ? nil : i.caseID, i.merchantID, i.issuedAt, i.receiptDueDay,
                        i.kind.expectsReceipt ? "awaiting" : "none")
        try s.step()
    }

    /// Sets an instruction's receipt state; returns its line as written (from its feed item).
    func setReceiptState(_ change: ReceiptStateChange) throws -> [UInt8]? {
        let s = try database.prepare("""
            UPDATE policy_instructions SET receipt_state = ?, receipt_id = ?, receipt_at = ? WHERE id = ? RETURNING id
            """)
        try s.bind(all: change.state.rawValue, change.receiptID, change.at, change.instructionID)
        let found = try s.step()
        s.reset()
        guard found else { return nil }
        try flushPolicyBatches()
        let item = try database.prepare("SELECT data FROM policy_items WHERE type = 'instruction' AND key = ?")
        defer { item.reset() }
        try item.bind(1, change.instructionID)
        guard try item.step() else { return nil }
        guard let data = itemCodec.decode(item.blob(0)) else {
            throw StateError.unreadable("instruction item \(change.instructionID)", found: "bytes no agent stores")
        }
        return InstructionItem.line(of: data)
    }

    func promptLedger() throws -> PromptLedger {
        let s = try database.prepareUncached("""
            SELECT platform_merchant_id, prompt_id, window_key, issued_day, episode_open FROM prompt_ledger
            """)
        var out = PromptLedger()
        while try s.step() {
            out.add(merchantID: s.string(0) ?? "", promptID: s.string(1) ?? "", windowKey: s.string(2) ?? "",
                    issuedDay: s.int(3), episodeOpen: s.int64(4) != 0)
        }
        return out
    }

    func recordPrompt(_ p: PromptIssue, at: Int64, day: Int) throws {
        let s = try database.prepare("""
            INSERT OR IGNORE INTO prompt_ledger (platform_merchant_id, prompt_id, window_key, issued_at, issued_day,
                                                 instruction_id, cause, episode_open) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { s.reset() }
        try s.bind(all: p.merchantID, p.promptID, p.windowKey, at, day, p.instructionID, p.cause, p.episode ? 1 : 0)
        try s.step()
    }

    func endEpisode(merchantID: String, promptID: String) throws {
        let s = try database.prepare("UPDATE prompt_ledger SET episode_open = 0 WHERE platform_merchant_id = ? AND prompt_id = ? AND episode_open = 1")
        defer { s.reset() }
        try s.bind(all: merchantID, promptID)
        try s.step()
    }

    /// A merchant's standing, batched as the items are (`UpsertBatch`): a pass writes them in id
    /// order, and one statement of 32 rows took 31 % fewer instructions than 32 statements of one
    /// (a first pass's miniature of 60,000 merchants, issue 16, session 41; in session 37 the
    /// binds, then unspecialised, hid the difference).
    func storeMerchantPolicy(_ id: String, _ st: MerchantPolicyState, packSerial: Int, now: Int64) throws {
        try standingBatch.add(MerchantStandingRow(id: id, state: st, packSerial: packSerial, now: now), to: database)
    }

    struct MerchantStandingRow {
        var id: String, state: MerchantPolicyState, packSerial: Int, now: Int64
    }

    static func upsertStandingsSQL(values: String) -> String {
        """
        INSERT INTO merchant_policy (platform_merchant_id, class, points, decision_hash, class_since, member, member_since,
                                     eligible_since, readmit_after_days, hold_until_day, source, pack_serial, updated_at,
                                     excluded_by_regulator)
        VALUES \(values)
        ON CONFLICT (platform_merchant_id) DO UPDATE SET class = excluded.class, points = excluded.points,
          decision_hash = excluded.decision_hash, class_since = excluded.class_since, member = excluded.member,
          member_since = excluded.member_since, eligible_since = excluded.eligible_since,
          readmit_after_days = excluded.readmit_after_days, hold_until_day = excluded.hold_until_day,
          source = excluded.source, pack_serial = excluded.pack_serial, updated_at = excluded.updated_at,
          excluded_by_regulator = excluded.excluded_by_regulator
        """
    }

    static func bind(_ row: MerchantStandingRow, to s: Statement, from first: Int32) throws {
        let st = row.state
        try s.bind(from: first, all: row.id, st.riskClass?.rawValue, st.points, Int64(bitPattern: st.decisionHash), st.classSince,
                   st.member ? 1 : 0, st.memberSince, st.eligibleSince, st.readmitAfterDays, st.holdUntilDay, st.source,
                   row.packSerial, row.now, st.excludedByRegulator ? 1 : 0)
    }

    /// The current content of a policy feed item (its JSON); the freezer renders it.
    func storePolicyItem(type: FeedType, key: String, uscc: String?, data: [UInt8], packVersion: String, packSerial: Int,
                         now: Int64) throws {
        try storePolicyItem(type: type, key: key, uscc: uscc, stored: itemCodec.encode(data, as: type),
                            packVersion: packVersion, packSerial: packSerial, now: now)
    }

    /// A policy feed item in its stored form (`PolicyItemCodec.encode`), when the caller has it.
    /// Inside a transaction it waits in the batch (`UpsertBatch`) until the batch is full, the
    /// table is read or the level ends; outside one it is written at once.
    func storePolicyItem(type: FeedType, key: String, uscc: String?, stored data: [UInt8], packVersion: String, packSerial: Int,
                         now: Int64) throws {
        try itemBatch.add(PolicyItemRow(type: type, key: key, uscc: uscc, data: data, packVersion: packVersion,
                                        packSerial: packSerial), to: database)
        try enqueueFeed(type, key, now: now)
    }

    struct PolicyItemRow {
        var type: FeedType, key: String, uscc: String?, data: [UInt8], packVersion: String, packSerial: Int
    }

    static func upsertItemsSQL(values: String) -> String {
        """
        INSERT INTO policy_items (type, key, uscc, data, pack_version, pack_serial)
        VALUES \(values)
        ON CONFLICT (type, key) DO UPDATE SET uscc = excluded.uscc, data = excluded.data,
          pack_version = excluded.pack_version, pack_serial = excluded.pack_serial
        """
    }

    static func bind(_ row: PolicyItemRow, to s: Statement, from first: Int32) throws {
        try s.bind(from: first, all: row.type.rawValue, row.key, row.uscc, row.data, row.packVersion, row.packSerial)
    }

    /// Writes the items and the standings waiting in their batches: before the connection reads
    /// either table, and (`transaction`) before a savepoint or a commit.
    func flushPolicyBatches() throws {
        try itemBatch.flush(to: database)
        try standingBatch.flush(to: database)
    }

    /// Sandbox directives from the regulator not applied by a pass yet. A directive naming only a
    /// USCC (the regulator's per-enterprise override) applies to each of this platform's
    /// storefronts under it.
    func pendingSandboxDirectives() throws -> [SandboxDirective] {
        let s = try database.prepare("""
            SELECT id, platform_merchant_id, uscc, payload FROM directives WHERE policy_applied = 0 AND type = 'sandbox'
            ORDER BY cursor
            """)
        var rows: [(String, String?, String?, String?)] = []
        while try s.step() { rows.append((s.string(0) ?? "", s.string(1), s.string(2), s.string(3))) }
        s.reset()
        var out: [SandboxDirective] = []
        for (id, merchant, uscc, payloadText) in rows {
            let payload = (payloadText.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }) ?? [:]
            // A staff override names an `action`; the regulator's roster decision a `verdict`.
            guard let action = (payload["action"] as? String).flatMap(SandboxDirective.Action.init(rawValue:))
                    .flatMap({ [.admit, .remove].contains($0) ? $0 : nil })
                ?? (payload["verdict"] as? String).flatMap(SandboxDirective.Action.init(rawValue:))
                    .flatMap({ [.decidedMember, .decidedNotMember].contains($0) ? $0 : nil }) else { continue }
            let merchants = try merchant.map { [$0] } ?? uscc.map { try merchantIDs(uscc: $0) } ?? []
            for m in merchants {
                out.append(SandboxDirective(id: id, merchantID: m, action: action, reason: payload["reason"] as? String,
                                            holdDays: (payload["hold_days"] as? NSNumber)?.intValue))
            }
            if merchants.isEmpty { out.append(SandboxDirective(id: id, merchantID: "", action: action, reason: nil, holdDays: nil)) }
        }
        return out
    }

    /// Officers' decisions on proposed ladder steps (`confirmation` directives, docs/policy.md
    /// §6.5) not applied by a pass yet. One the agent cannot read is passed on as a decision no
    /// proposal matches, so the pass marks it applied and it is not read again.
    func pendingProposalDecisions() throws -> [ProposalDecision] {
        let s = try database.prepare("""
            SELECT id, payload, received_at FROM directives WHERE policy_applied = 0 AND type = 'confirmation' ORDER BY cursor
            """)
        defer { s.reset() }
        var out: [ProposalDecision] = []
        while try s.step() {
            let id = s.string(0) ?? ""
            let payload = (s.string(1).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }) ?? [:]
            let decision = (payload["decision"] as? String).flatMap(ProposalDecision.Decision.init(rawValue:))
            let until = (payload["until"] as? String).flatMap(CivilDate.init(isoText:))
            let decidedAt = (payload["decided_at"] as? String).flatMap { try? DateField.dateTime($0) } ?? s.int64(2)
            out.append(ProposalDecision(
                directiveID: id, caseID: payload["case_id"] as? String ?? "",
                step: decision == nil ? 0 : (payload["step"] as? NSNumber)?.intValue ?? 0,
                decision: decision ?? .defer, untilDay: until?.dayNumber, reason: payload["reason"] as? String,
                officer: payload["decided_by"] as? String, decidedAt: decidedAt))
        }
        return out
    }

    func markDirectiveApplied(_ id: String) throws {
        let s = try database.prepare("UPDATE directives SET policy_applied = 1 WHERE id = ?")
        defer { s.reset() }
        try s.bind(1, id)
        try s.step()
    }
}
