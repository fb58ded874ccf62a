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

    /// The merchant's fields a pack may read, and how each is loaded (its column: `AgentState.policyMerchantColumns`).
    static let merchantFields: [(ConditionField, ColumnBuilder.Kind)] = [
        (.merchantID, .text), (.shopName, .text), (.uscc, .text), (.registeredName, .text), (.legalRepresentative, .text),
        (.registeredAddress, .text), (.displayedName, .text), (.displayedUSCC, .text), (.displayedAddress, .text),
        (.regionCode, .text), (.entityType, .coded(.entityType)), (.status, .coded(.status)),
        (.licenceDisplayed, .bool), (.smallScaleDeclared, .bool),
        (.annualTurnover, .number(scale: 1)), (.complaints90d, .number(scale: 100)),
        (.verifiedAt, .date), (.openedAt, .date),
    ]

    /// The registry entry's fields a pack may read (their columns: `AgentState.policyRegistryColumns`).
    static let registryFields: [(ConditionField, ColumnBuilder.Kind)] = [
        (.registryName, .text), (.registryLegalRepresentative, .text), (.registryAddress, .text),
        (.registrationStatus, .coded(.registrationStatus)), (.registryChangedAt, .date), (.abnormalList, .bool),
        (.seriousViolationList, .bool), (.lastAnnualReportYear, .number(scale: 100)),
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
        func kind(_ field: ConditionField, _ k: ColumnBuilder.Kind) -> ColumnBuilder.Kind {
            if case .text = k, !values.contains(field) { return .presence }
            return k
        }
        // Events and the registry on threads of their own meanwhile: three threads on two cores
        // keep both busy to the end of the load, where the loader's thread alone read the
        // registry after the events were done (issue 16, session 41).
        let eventScan = EventScan.start(path: state.database.path, recentFrom: recent)
        let rFields = Self.registryFields.filter { needed.contains($0.0) }.map { ($0.0, kind($0.0, $0.1)) }
        let registryScan = rFields.isEmpty ? nil : RegistryScan.start(path: state.database.path, fields: rFields)
        // Merchants read in table order, then taken in id order: the ordinal in id order is the row.
        let mFields = Self.merchantFields.filter { needed.contains($0.0) && $0.0 != .merchantID && $0.0 != .uscc }
        // Columns sized once for the rows there are (AgentState.rowsBound).
        let expected = try state.rowsBound(.merchants)
        var builders = mFields.map { ColumnBuilder($0.0, kind($0.0, $0.1), rows: expected) }
        // Ids and USCCs in byte buffers, not a String per row (issue 16).
        var ids = TextColumn()
        var usccs = TextColumn()
        ids.reserveCapacity(rows: expected, bytes: 0)
        usccs.reserveCapacity(rows: expected, bytes: expected * 18)
        let none: [UInt8] = []
        try state.scanMerchants(mFields.map(\.0)) { ms in
            ms.withText(0) { id in none.withUnsafeBufferPointer { empty in ids.append(bytes: id ?? empty) } }
            ms.withText(1) { usccs.append(bytes: $0) }
            for i in builders.indices { builders[i].append(ms, Int32(i + 2)) }
        }
        let rows = ids.count
        // The table holds merchants in the order the exports listed them, ids at random. Taken in
        // id order, each per-merchant row a pass writes goes into the tables keyed by merchant id
        // (`policy_items`, `merchant_policy`) next to the last, not at a random place: a first pass
        // at 469,000 merchants took 21.8–23.3 s instead of 25.5–27.1 (docs/benchmarks.md, session
        // 26). Reading the table through its id index instead cost 1.3 s more than this sort and gather.
        let order = ids.ascendingRows()
        let inTableOrder = order.elementsEqual(0..<rows)
        if !inTableOrder {
            ids = ids.gathered(order)
            usccs = usccs.gathered(order)
        }
        var keys = ByteKeyTable(capacity: rows, keyBytes: ids.bytes.count)
        // Every row has an id: the scan stored a missing one as empty.
        for i in 0..<rows { ids.withBytes(i) { if let id = $0 { keys.insert(id, value: i) } } }
        var facts = PolicyFacts(rows: rows, today: today)
        facts.columns[.merchantID] = .text(ids)
        facts.columns[.uscc] = .text(usccs)
        // One column at a time, each builder freed once its column is in order.
        while let b = builders.popLast() {
            facts.columns[b.field] = inTableOrder ? b.column() : ColumnBuilder.regather(b.column(), rows: order)
        }

        // Registry, joined by USCC bytes.
        if let registryScan {
            let registry = try registryScan.wait()
            let entry = registry.entry
            // A code missing from the registry may be the platform's keying error: the registry's
            // entry under the corrected check character is the entity's (USCC_MISKEYED).
            let map = usccs.indices.map { i in
                usccs.withBytes(i) { u in u.flatMap { entry.value($0) } } ?? usccs[i].flatMap { u in
                    USCC.registryKeys(u).dropFirst().first.flatMap { entry.value($0) }
                } ?? -1
            }
            for c in registry.columns { facts.columns[c.field] = ColumnBuilder.regather(c.column, rows: map) }
        }

        // Findings as bits.
        var codes = ByteKeyTable(capacity: 64)
        for (i, code) in FindingCode.all.enumerated() { codes.insert(code, value: i) }
        let severities = CodeLookup(names: FindingSeverity.allCases.map(\.rawValue))
        // The counts by severity only for a pack that reads them: four columns of 469,000 numbers
        // (15 MB) held through the pass, which the Chengdu pack never reads.
        let counted: Set<ConditionField> = [.findingsMinor, .findingsGeneral, .findingsSerious, .findingsCount]
        let counts = !needed.isDisjoint(with: counted)
        var bySeverity = [[Int64]](repeating: [Int64](repeating: 0, count: counts ? rows : 0), count: 3)
        try facts.findings.withUnsafeMutableBufferPointer { bits in
            try state.scanFindings { fs in
                guard let r = fs.withText(0, { $0.flatMap { keys.value($0) } }),
                      let c = fs.withText(1, { $0.flatMap { codes.value($0) } }) else { return }
                bits[r] |= 1 << UInt32(c)
                if counts, let s = fs.withText(2, { severities.code($0) }) { bySeverity[Int(s)][r] += 100 }
            }
        }
        // findings.count / minor / general / serious: never unknown (docs/policy.md §3.2).
        if counts {
            let all = Bits(count: rows, filled: true)
            facts.columns[.findingsMinor] = .number(bySeverity[0], known: all)
            facts.columns[.findingsGeneral] = .number(bySeverity[1], known: all)
            facts.columns[.findingsSerious] = .number(bySeverity[2], known: all)
            facts.columns[.findingsCount] = .number((0..<rows).map { bySeverity[0][$0] + bySeverity[1][$0] + bySeverity[2][$0] }, known: all)
        }

        let events = try eventScan.wait()
        facts.events = events.table(rows: rows, rowOfOwner: Self.rows(of: events.ownerIDs, in: ids, keys: keys))
        if Self.conditions(pack).contains(where: \.countsLicences) {
            facts.licences = try licences(rowOf: keys, rows: rows)
        }

        // The policy's memory.
        var states = [MerchantPolicyState](repeating: .initial, count: rows)
        let classes = CodeLookup(names: RiskClass.allCases.map(\.rawValue))
        // In id order (the table's key), as the rows are: paired by one walk, not looked up.
        var walk = AscendingRowWalk(ids: ids, keys: keys)
        try state.scanMerchantPolicy { ps in
            guard let r = ps.withText(0, { $0.flatMap { walk.row($0) } }) else { return }
            states[r] = MerchantPolicyState(
                riskClass: ps.withText(1) { classes.code($0) }.flatMap { RiskClass(code: $0) }, points: ps.int(2),
                decisionHash: UInt64(bitPattern: ps.int64(3)), classSince: ps.intOrNil(4), member: ps.int64(5) != 0,
                memberSince: ps.intOrNil(6), eligibleSince: ps.intOrNil(7), readmitAfterDays: ps.intOrNil(8),
                holdUntilDay: ps.intOrNil(9), source: ps.isNull(10) ? nil : (ps.withText(10) { $0?.first == 0x72 } ? "regulator" : "agent"),
                excludedByRegulator: ps.int64(11) != 0)
        }
        return Loaded(facts: facts, states: states, rowOf: keys)
    }

    /// Each owner's row in `ids`, or -1. Both ascend in byte order (the events' index, the
    /// loader's sort): one walk pairs them (`AscendingRowWalk`). Looked up one by one, the 469,000
    /// owners' ids were hashed into a 16 MiB table at random (issue 16, session 41).
    static func rows(of owners: [String], in ids: TextColumn, keys: ByteKeyTable) -> [Int] {
        var walk = AscendingRowWalk(ids: ids, keys: keys)
        return owners.map { owner in owner.withUTF8Bytes { walk.row($0) } ?? -1 }
    }

    private func licences(rowOf: ByteKeyTable, rows: Int) throws -> ElementTable {
        var perRow: [Int: [Int]] = [:]
        var type = ColumnBuilder(.merchantID, .coded(.licenceType))
        var no = ColumnBuilder(.merchantID, .text), holder = ColumnBuilder(.merchantID, .text)
        var issuer = ColumnBuilder(.merchantID, .text)
        var from = ColumnBuilder(.merchantID, .date), to = ColumnBuilder(.merchantID, .date)
        var n = 0
        try state.scanLicences { s in
            guard let r = s.withText(0, { $0.flatMap { rowOf.value($0) } }) else { return }
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
