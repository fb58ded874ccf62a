import SandboxCore

/// Builds `PolicyFacts` from records, one merchant at a time: for the engine's scenario tests,
/// `policy explain` and small populations. The agent's pass loads big populations column by
/// column from SQLite instead (same columns, same meaning).
public struct PolicyFactsBuilder {
    public struct Merchant {
        public var record: MerchantRecord
        public var registry: RegistryRecord?
        public var findingCodes: [String]
        public var events: [EventRecord]
        public var licences: [LicenceRecord]
        public init(record: MerchantRecord, registry: RegistryRecord? = nil, findingCodes: [String] = [],
                    events: [EventRecord] = [], licences: [LicenceRecord] = []) {
            self.record = record; self.registry = registry; self.findingCodes = findingCodes
            self.events = events; self.licences = licences
        }
    }

    public private(set) var merchants: [Merchant] = []
    public init() {}

    public mutating func append(_ m: Merchant) { merchants.append(m) }

    public func build(today: CivilDate) -> PolicyFacts {
        let n = merchants.count
        var facts = PolicyFacts(rows: n, today: today)
        func text(_ f: ConditionField, _ get: (Merchant) -> String?) { facts.columns[f] = .text(TextColumn(merchants.map(get))) }
        func coded(_ f: ConditionField, _ get: (Merchant) -> String?) {
            guard case .coded(let kind) = f.type else { return }
            facts.columns[f] = .coded(merchants.map { get($0).flatMap(kind.code(ofStored:)) ?? FactColumn.unknownCode })
        }
        func bool(_ f: ConditionField, _ get: (Merchant) -> Bool?) {
            var k = Bits(count: n), v = Bits(count: n)
            for (i, m) in merchants.enumerated() { if let b = get(m) { k[i] = true; v[i] = b } }
            facts.columns[f] = .bool(known: k, value: v)
        }
        func number(_ f: ConditionField, _ get: (Merchant) -> Int64?) {
            var k = Bits(count: n)
            let values = merchants.enumerated().map { i, m -> Int64 in
                guard let x = get(m) else { return 0 }
                k[i] = true; return x
            }
            facts.columns[f] = .number(values, known: k)
        }
        func date(_ f: ConditionField, _ get: (Merchant) -> CivilDate?) {
            var k = Bits(count: n)
            let values = merchants.enumerated().map { i, m -> Int32 in
                guard let x = get(m) else { return 0 }
                k[i] = true; return Int32(x.dayNumber)
            }
            facts.columns[f] = .date(values, known: k)
        }
        text(.merchantID) { $0.record.platformMerchantID }
        text(.shopName) { $0.record.shopName }
        text(.uscc) { $0.record.uscc }
        text(.registeredName) { $0.record.registeredName }
        text(.legalRepresentative) { $0.record.legalRepresentative }
        text(.registeredAddress) { $0.record.registeredAddress }
        text(.displayedName) { $0.record.displayedName }
        text(.displayedUSCC) { $0.record.displayedUSCC }
        text(.displayedAddress) { $0.record.displayedAddress }
        text(.regionCode) { $0.record.regionCode }
        coded(.entityType) { $0.record.entityType.rawValue }
        coded(.status) { $0.record.status?.rawValue }
        bool(.licenceDisplayed) { $0.record.licenceDisplayed }
        bool(.smallScaleDeclared) { $0.record.smallScaleDeclared }
        number(.annualTurnover) { $0.record.annualTurnoverFen }
        number(.complaints90d) { $0.record.complaints90d.map { Int64($0) * 100 } }
        date(.verifiedAt) { $0.record.verifiedAt }
        date(.openedAt) { $0.record.openedAt }
        text(.registryName) { $0.registry?.name }
        text(.registryLegalRepresentative) { $0.registry?.legalRepresentative }
        text(.registryAddress) { $0.registry?.address }
        coded(.registrationStatus) { $0.registry?.registrationStatus?.rawValue }
        date(.registryChangedAt) { $0.registry?.changedAt }
        bool(.abnormalList) { $0.registry?.abnormalList }
        bool(.seriousViolationList) { $0.registry?.seriousViolationList }
        number(.lastAnnualReportYear) { $0.registry?.lastAnnualReportYear.map { Int64($0) * 100 } }

        for (i, m) in merchants.enumerated() {
            for code in m.findingCodes { facts.findings[i] |= FindingMask.bit(of: code) ?? 0 }
        }
        // Severities are the verifier's; here every listed finding counts in findings.count.
        number(.findingsCount) { Int64($0.findingCodes.count) * 100 }
        facts.events = Self.events(merchants.map(\.events))
        facts.licences = Self.licences(merchants.map(\.licences))
        return facts
    }

    static func events(_ perRow: [[EventRecord]]) -> ElementTable {
        var offsets: [Int32] = [0]
        var all: [EventRecord] = []
        for list in perRow { all += list; offsets.append(Int32(all.count)) }
        let n = all.count
        return ElementTable(offsets: offsets, columns: [
            .eventID: .text(TextColumn(all.map(\.eventID))),
            .description: .text(TextColumn(all.map(\.description))),
            .eventType: .coded(all.map { CodedKind.eventType.code(ofStored: $0.eventType.rawValue)! }),
            .severity: .coded(all.map { $0.severity.flatMap { CodedKind.severity.code(ofStored: $0.rawValue) } ?? FactColumn.unknownCode }),
            .occurredAt: .date(all.map { Int32(CivilDate(unixTime: $0.occurredAt).dayNumber) }, known: Bits(count: n, filled: true)),
        ])
    }

    static func licences(_ perRow: [[LicenceRecord]]) -> ElementTable {
        var offsets: [Int32] = [0]
        var all: [LicenceRecord] = []
        for list in perRow { all += list; offsets.append(Int32(all.count)) }
        func dates(_ get: (LicenceRecord) -> CivilDate?) -> FactColumn {
            var k = Bits(count: all.count)
            let v = all.enumerated().map { i, l -> Int32 in
                guard let d = get(l) else { return 0 }
                k[i] = true; return Int32(d.dayNumber)
            }
            return .date(v, known: k)
        }
        return ElementTable(offsets: offsets, columns: [
            .licenceType: .coded(all.map { CodedKind.licenceType.code(ofStored: $0.licenceType.rawValue)! }),
            .licenceNo: .text(TextColumn(all.map(\.licenceNo))),
            .holderName: .text(TextColumn(all.map(\.holderName))),
            .issuer: .text(TextColumn(all.map(\.issuer))),
            .validFrom: dates(\.validFrom),
            .validTo: dates(\.validTo),
        ])
    }
}
