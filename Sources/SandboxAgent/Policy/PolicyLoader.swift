import SandboxCore
import SandboxPolicy
import SandboxStorage

/// Reads what a pass needs from the state database, each table once, into columns
/// (docs/policy.md §13.1): merchants, registry (joined by USCC in memory), findings as bit
/// masks, events and licences grouped by merchant, and the policy's own memory.
struct PolicyLoader {
    let state: AgentState

    struct Loaded {
        var facts: PolicyFacts
        var states: [MerchantPolicyState]
        var rowOf: ByteKeyTable
    }

    static let merchantFields: [(String, ConditionField, ColumnBuilder.Kind)] = [
        ("platform_merchant_id", .merchantID, .text), ("shop_name", .shopName, .text), ("uscc", .uscc, .text),
        ("registered_name", .registeredName, .text), ("legal_representative", .legalRepresentative, .text),
        ("registered_address", .registeredAddress, .text), ("displayed_name", .displayedName, .text),
        ("displayed_uscc", .displayedUSCC, .text), ("displayed_address", .displayedAddress, .text),
        ("region_code", .regionCode, .text), ("entity_type", .entityType, .coded(.entityType)),
        ("status", .status, .coded(.status)),
        ("licence_displayed", .licenceDisplayed, .bool), ("small_scale_declared", .smallScaleDeclared, .bool),
        ("annual_turnover_fen", .annualTurnover, .number(scale: 1)), ("complaints_90d", .complaints90d, .number(scale: 100)),
        ("verified_at", .verifiedAt, .date), ("opened_at", .openedAt, .date),
    ]

    static let registryFields: [(String, ConditionField, ColumnBuilder.Kind)] = [
        ("name", .registryName, .text), ("legal_representative", .registryLegalRepresentative, .text),
        ("address", .registryAddress, .text), ("registration_status", .registrationStatus, .coded(.registrationStatus)),
        ("changed_at", .registryChangedAt, .date), ("abnormal_list", .abnormalList, .bool),
        ("serious_violation_list", .seriousViolationList, .bool),
        ("last_annual_report_year", .lastAnnualReportYear, .number(scale: 100)),
    ]

    /// Every condition of a pack.
    static func conditions(_ pack: RulePack) -> [TypedCondition] {
        var out: [TypedCondition] = [pack.appliesTo, pack.determination.harm]
        if let s = pack.determination.seriousHarm { out.append(s) }
        for i in pack.indicators {
            switch i.rule { case .when(let c, _), .value(let c, _): out.append(c) }
        }
        for t in pack.triggers { if case .merchant(let c) = t.condition { out.append(c) } }
        return out + pack.roster.admit.map(\.when) + pack.roster.remove.map(\.when) + pack.prompts.map(\.when)
    }

    /// The fields a pack reads, and which of their values it compares; text fields it only tests
    /// for presence are loaded as bit sets (evidence texts are fetched for the few cases opened).
    static func projection(_ pack: RulePack) -> (needed: Set<ConditionField>, values: Set<ConditionField>) {
        // Ids and shop names go on every instruction line.
        var needed: Set<ConditionField> = [.merchantID, .uscc, .shopName]
        var values: Set<ConditionField> = [.merchantID, .uscc, .shopName]
        for c in conditions(pack) { needed.formUnion(c.fields); values.formUnion(c.valueFields) }
        for t in pack.triggers {
            for p in t.evidence { if let f = ConditionField(rawValue: p), f.type != .text { needed.insert(f); values.insert(f) } }
        }
        return (needed, values)
    }

    func load(pack: RulePack, today: CivilDate) throws -> Loaded {
        let (needed, values) = Self.projection(pack)
        let recent = Int32(today.dayNumber - (pack.triggers.compactMap { t -> Int? in
            if case .events(_, let within) = t.condition { return within } else { return nil }
        }.max() ?? 0))
        // Events on the second core meanwhile.
        let eventScan = EventScan(path: state.database.path, recentFrom: recent)
        func kind(_ field: ConditionField, _ k: ColumnBuilder.Kind) -> ColumnBuilder.Kind {
            if case .text = k, !values.contains(field) { return .presence }
            return k
        }
        let db = state.database
        // Merchants in table order: the ordinal is the row.
        let mFields = Self.merchantFields.filter { needed.contains($0.1) && $0.1 != .merchantID && $0.1 != .uscc }
        let ms = try db.prepareUncached("SELECT platform_merchant_id, uscc\(mFields.map { ", " + $0.0 }.joined()) FROM merchants")
        var builders = mFields.map { ColumnBuilder($0.1, kind($0.1, $0.2)) }
        // Ids and USCCs in byte buffers, not a String per row (issue 16).
        var ids = TextColumn()
        var usccs = TextColumn()
        var keys = ByteKeyTable(capacity: 1 << 19)
        let none: [UInt8] = []
        while try ms.step() {
            ms.withText(0) { id in
                none.withUnsafeBufferPointer { empty in
                    keys.insert(id ?? empty, value: ids.count)
                    ids.append(bytes: id ?? empty)
                }
            }
            ms.withText(1) { usccs.append(bytes: $0) }
            for i in builders.indices { builders[i].append(ms, Int32(i + 2)) }
        }
        let rows = ids.count
        var facts = PolicyFacts(rows: rows, today: today)
        facts.columns[.merchantID] = .text(ids)
        facts.columns[.uscc] = .text(usccs)
        for b in builders { facts.columns[b.field] = b.column() }

        // Registry, joined by USCC bytes.
        let rFields = Self.registryFields.filter { needed.contains($0.1) }
        if !rFields.isEmpty {
            let rs = try db.prepareUncached("SELECT uscc, \(rFields.map(\.0).joined(separator: ", ")) FROM registry")
            var rb = rFields.map { ColumnBuilder($0.1, kind($0.1, $0.2)) }
            var entry = ByteKeyTable(capacity: 1 << 19)
            var n = 0
            while try rs.step() {
                rs.withText(0) { if let u = $0 { entry.insert(u, value: n) } }
                for i in rb.indices { rb[i].append(rs, Int32(i + 1)) }
                n += 1
            }
            // A code missing from the registry may be the platform's keying error: the registry's
            // entry under the corrected check character is the entity's (USCC_MISKEYED).
            let map = usccs.indices.map { i in
                usccs.withBytes(i) { u in u.flatMap { entry.value($0) } } ?? usccs[i].flatMap { u in
                    USCC.registryKeys(u).dropFirst().first.flatMap { entry.value($0) }
                } ?? -1
            }
            for b in rb { facts.columns[b.field] = ColumnBuilder.regather(b.column(), rows: map) }
        }

        // Findings as bits.
        var codes = ByteKeyTable(capacity: 64)
        for (i, code) in FindingCode.all.enumerated() { codes.insert(code, value: i) }
        let fs = try db.prepareUncached("SELECT platform_merchant_id, code, severity FROM findings")
        let severities = CodeLookup(names: FindingSeverity.allCases.map(\.rawValue))
        var bySeverity = [[Int64]](repeating: [Int64](repeating: 0, count: rows), count: 3)
        try facts.findings.withUnsafeMutableBufferPointer { bits in
            while try fs.step() {
                guard let r = fs.withText(0, { $0.flatMap { keys.value($0) } }),
                      let c = fs.withText(1, { $0.flatMap { codes.value($0) } }) else { continue }
                bits[r] |= 1 << UInt32(c)
                if let s = fs.withText(2, { severities.code($0) }) { bySeverity[Int(s)][r] += 100 }
            }
        }
        // findings.count / minor / general / serious: never unknown (docs/policy.md §3.2).
        let all = Bits(count: rows, filled: true)
        facts.columns[.findingsMinor] = .number(bySeverity[0], known: all)
        facts.columns[.findingsGeneral] = .number(bySeverity[1], known: all)
        facts.columns[.findingsSerious] = .number(bySeverity[2], known: all)
        facts.columns[.findingsCount] = .number((0..<rows).map { bySeverity[0][$0] + bySeverity[1][$0] + bySeverity[2][$0] }, known: all)

        try eventScan.wait()
        facts.events = eventScan.table(rows: rows, rowOfOwner: eventScan.ownerIDs.map { keys.value($0) ?? -1 })
        if Self.conditions(pack).contains(where: \.countsLicences) {
            facts.licences = try licences(rowOf: keys, rows: rows)
        }

        // The policy's memory.
        var states = [MerchantPolicyState](repeating: .initial, count: rows)
        let ps = try db.prepareUncached("""
            SELECT platform_merchant_id, class, points, decision_hash, class_since, member, member_since, eligible_since,
                   readmit_after_days, hold_until_day, source, excluded_by_regulator FROM merchant_policy
            """)
        let classes = CodeLookup(names: RiskClass.allCases.map(\.rawValue))
        while try ps.step() {
            guard let r = ps.withText(0, { $0.flatMap { keys.value($0) } }) else { continue }
            states[r] = MerchantPolicyState(
                riskClass: ps.withText(1) { classes.code($0) }.flatMap { RiskClass(code: $0) }, points: ps.int(2),
                decisionHash: UInt64(bitPattern: ps.int64(3)), classSince: ps.intOrNil(4), member: ps.int64(5) != 0,
                memberSince: ps.intOrNil(6), eligibleSince: ps.intOrNil(7), readmitAfterDays: ps.intOrNil(8),
                holdUntilDay: ps.intOrNil(9), source: ps.isNull(10) ? nil : (ps.withText(10) { $0?.first == 0x72 } ? "regulator" : "agent"),
                excludedByRegulator: ps.int64(11) != 0)
        }
        return Loaded(facts: facts, states: states, rowOf: keys)
    }

    private func licences(rowOf: ByteKeyTable, rows: Int) throws -> ElementTable {
        let s = try state.database.prepareUncached(
            "SELECT platform_merchant_id, licence_type, licence_no, holder_name, issuer, valid_from, valid_to FROM licences")
        var perRow: [Int: [Int]] = [:]
        var type = ColumnBuilder(.merchantID, .coded(.licenceType))
        var no = ColumnBuilder(.merchantID, .text), holder = ColumnBuilder(.merchantID, .text)
        var issuer = ColumnBuilder(.merchantID, .text)
        var from = ColumnBuilder(.merchantID, .date), to = ColumnBuilder(.merchantID, .date)
        var n = 0
        while try s.step() {
            guard let r = s.withText(0, { $0.flatMap { rowOf.value($0) } }) else { continue }
            type.append(s, 1); no.append(s, 2); holder.append(s, 3); issuer.append(s, 4); from.append(s, 5); to.append(s, 6)
            perRow[r, default: []].append(n)
            n += 1
        }
        var order: [Int] = []
        var offsets: [Int32] = [0]
        for r in 0..<rows { order += perRow[r] ?? []; offsets.append(Int32(order.count)) }
        let columns: [ElementField: FactColumn] = [
            .licenceType: type.column().gather(order), .licenceNo: no.column().gather(order),
            .holderName: holder.column().gather(order), .issuer: issuer.column().gather(order),
            .validFrom: from.column().gather(order), .validTo: to.column().gather(order),
        ]
        return ElementTable(offsets: offsets, columns: columns)
    }
}
