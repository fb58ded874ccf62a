import SandboxCore
import SandboxStorage

/// Reads what a pass needs from the state database, each table once, into columns
/// (docs/policy.md §13.1): merchants, registry (joined by USCC in memory), findings as bit
/// masks, events and licences grouped by merchant, and the policy's own memory.
struct PolicyLoader {
    let state: AgentState

    struct Loaded {
        var facts: PolicyFacts
        var states: [MerchantPolicyState]
        var rowOf: [String: Int]
    }

    static let merchantFields: [(String, ConditionField, ColumnBuilder.Kind)] = [
        ("platform_merchant_id", .merchantID, .text), ("shop_name", .shopName, .text), ("uscc", .uscc, .text),
        ("registered_name", .registeredName, .text), ("legal_representative", .legalRepresentative, .text),
        ("registered_address", .registeredAddress, .text), ("displayed_name", .displayedName, .text),
        ("displayed_uscc", .displayedUSCC, .text), ("displayed_address", .displayedAddress, .text),
        ("region_code", .regionCode, .text), ("entity_type", .entityType, .coded(.entityType)),
        ("category", .category, .coded(.category)), ("status", .status, .coded(.status)),
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

    /// The fields a pack reads (conditions and evidence), plus the ids every pass needs.
    static func neededFields(_ pack: RulePack) -> Set<ConditionField> {
        var out: Set<ConditionField> = [.merchantID, .uscc, .shopName]
        var conditions: [TypedCondition] = [pack.appliesTo, pack.determination.harm]
        if let s = pack.determination.seriousHarm { conditions.append(s) }
        for i in pack.indicators {
            switch i.rule { case .when(let c, _), .value(let c, _): conditions.append(c) }
        }
        for t in pack.triggers {
            if case .merchant(let c) = t.condition { conditions.append(c) }
            for p in t.evidence { if let f = ConditionField(rawValue: p) { out.insert(f) } }
        }
        conditions += pack.roster.admit.map(\.when) + pack.roster.remove.map(\.when) + pack.prompts.map(\.when)
        for c in conditions { out.formUnion(c.fields) }
        return out
    }

    func load(pack: RulePack, today: CivilDate) throws -> Loaded {
        let needed = Self.neededFields(pack)
        let db = state.database
        // Merchants, in key order: the ordinal is the row.
        let mFields = Self.merchantFields.filter { needed.contains($0.1) }
        let ms = try db.prepareUncached("SELECT \(mFields.map(\.0).joined(separator: ", ")) FROM merchants ORDER BY platform_merchant_id")
        var builders = mFields.map { ColumnBuilder($0.1, $0.2) }
        var ids: [String] = []
        var usccs: [String?] = []
        let idIndex = Int32(mFields.firstIndex { $0.1 == .merchantID }!)
        let usccIndex = Int32(mFields.firstIndex { $0.1 == .uscc }!)
        while try ms.step() {
            for i in builders.indices { builders[i].append(ms, Int32(i)) }
            ids.append(ms.string(idIndex) ?? "")
            usccs.append(ms.string(usccIndex))
        }
        let rows = ids.count
        var facts = PolicyFacts(rows: rows, today: today)
        for b in builders { facts.columns[b.field] = b.column() }
        var rowOf: [String: Int] = [:]
        rowOf.reserveCapacity(rows)
        for (i, id) in ids.enumerated() { rowOf[id] = i }

        // Registry, joined by USCC.
        let rFields = Self.registryFields.filter { needed.contains($0.1) }
        if !rFields.isEmpty {
            let rs = try db.prepareUncached("SELECT uscc, \(rFields.map(\.0).joined(separator: ", ")) FROM registry")
            var rb = rFields.map { ColumnBuilder($0.1, $0.2) }
            var entry: [String: Int] = [:]
            var n = 0
            while try rs.step() {
                if let u = rs.string(0) { entry[u] = n }
                for i in rb.indices { rb[i].append(rs, Int32(i + 1)) }
                n += 1
            }
            let map = usccs.map { u in u.flatMap { entry[$0] } ?? -1 }
            for b in rb { facts.columns[b.field] = ColumnBuilder.regather(b.column(), rows: map) }
        }

        // Findings as bits.
        var bitOf: [String: UInt32] = [:]
        for (i, code) in FindingCode.all.enumerated() { bitOf[code] = 1 << UInt32(i) }
        let fs = try db.prepareUncached("SELECT platform_merchant_id, code FROM findings")
        while try fs.step() {
            guard let id = fs.string(0), let r = rowOf[id], let code = fs.string(1), let bit = bitOf[code] else { continue }
            facts.findings[r] |= bit
        }

        facts.events = try events(rowOf: rowOf, rows: rows)
        facts.licences = try licences(rowOf: rowOf, rows: rows)

        // The policy's memory.
        var states = [MerchantPolicyState](repeating: .initial, count: rows)
        let ps = try db.prepareUncached("""
            SELECT platform_merchant_id, class, points, decision_hash, class_since, member, member_since, eligible_since,
                   readmit_after_days, hold_until_day, source FROM merchant_policy
            """)
        while try ps.step() {
            guard let id = ps.string(0), let r = rowOf[id] else { continue }
            states[r] = MerchantPolicyState(
                riskClass: ps.string(1).flatMap(RiskClass.init(rawValue:)), points: ps.int(2),
                decisionHash: UInt64(bitPattern: ps.int64(3)), classSince: ps.intOrNil(4), member: ps.int64(5) != 0,
                memberSince: ps.intOrNil(6), eligibleSince: ps.intOrNil(7), readmitAfterDays: ps.intOrNil(8),
                holdUntilDay: ps.intOrNil(9), source: ps.string(10))
        }
        return Loaded(facts: facts, states: states, rowOf: rowOf)
    }

    private func events(rowOf: [String: Int], rows: Int) throws -> ElementTable {
        let s = try state.database.prepareUncached(
            "SELECT platform_merchant_id, event_id, event_type, severity, occurred_at, description FROM events")
        var perRow: [Int: [(String, UInt8, UInt8, Int32, String?)]] = [:]
        let typeCodes = Dictionary(uniqueKeysWithValues: EventType.allCases.enumerated().map { ($1.rawValue, UInt8($0)) })
        let severityCodes = Dictionary(uniqueKeysWithValues: EventSeverity.allCases.enumerated().map { ($1.rawValue, UInt8($0)) })
        while try s.step() {
            guard let id = s.string(0), let r = rowOf[id] else { continue }
            let type = s.string(2).flatMap { typeCodes[$0] } ?? FactColumn.unknownCode
            let severity = s.string(3).flatMap { severityCodes[$0] } ?? FactColumn.unknownCode
            perRow[r, default: []].append((s.string(1) ?? "", type, severity, Int32(CivilDate(unixTime: s.int64(4)).dayNumber), s.string(5)))
        }
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rows + 1)
        var ids: [String?] = [], types: [UInt8] = [], severities: [UInt8] = [], days: [Int32] = [], texts: [String?] = []
        for r in 0..<rows {
            for e in perRow[r] ?? [] { ids.append(e.0); types.append(e.1); severities.append(e.2); days.append(e.3); texts.append(e.4) }
            offsets.append(Int32(ids.count))
        }
        return ElementTable(offsets: offsets, columns: [
            .eventID: .text(ids), .eventType: .coded(types), .severity: .coded(severities),
            .occurredAt: .date(days, known: Bits(count: days.count, filled: true)), .description: .text(texts),
        ])
    }

    private func licences(rowOf: [String: Int], rows: Int) throws -> ElementTable {
        let s = try state.database.prepareUncached(
            "SELECT platform_merchant_id, licence_type, licence_no, holder_name, issuer, valid_from, valid_to FROM licences")
        var perRow: [Int: [Int]] = [:]
        var type = ColumnBuilder(.merchantID, .coded(.licenceType))
        var no = ColumnBuilder(.merchantID, .text), holder = ColumnBuilder(.merchantID, .text)
        var issuer = ColumnBuilder(.merchantID, .text)
        var from = ColumnBuilder(.merchantID, .date), to = ColumnBuilder(.merchantID, .date)
        var n = 0
        while try s.step() {
            guard let id = s.string(0), let r = rowOf[id] else { continue }
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
