/// Turns raw rows of one export file into typed records, collecting every problem of a row.
///
/// The column→field tables are built once per header (`HeaderMapping`); per row the validator
/// only indexes arrays and parses bytes. Rows with fewer values than the header are read as if
/// the missing trailing values were empty (JSON Lines rows lack keys they do not use); rows with
/// more values are rejected, because the values can no longer be trusted to sit in their columns.
public struct RowValidator: Sendable {
    public let kind: ExportKind
    public private(set) var mapping: HeaderMapping

    public init(kind: ExportKind, columns: [String]) {
        self.kind = kind
        self.mapping = HeaderMapping(kind: kind, columns: columns)
    }

    /// Re-maps after a JSON Lines reader saw new keys; call only when the column count changed.
    /// Only the new keys are looked up (`HeaderMapping.extended`), so the cost stays linear.
    public mutating func updateColumns(_ columns: [String]) {
        mapping = mapping.extended(to: columns)
    }

    public mutating func validate(_ row: RawRow) -> Result<ExportRecord, RowRejection> {
        var r = FieldReader(values: row.values, mapping: mapping)
        if row.values.count > mapping.columns.count {
            r.problems.append(FieldProblem(column: "(extra values)", columnNumber: mapping.columns.count + 1,
                reason: "row has \(row.values.count) values, header has \(mapping.columns.count): "
                    + "check for an unquoted comma or line break"))
        }
        let record: ExportRecord?
        switch kind {
        case .merchants: record = Self.merchant(&r).map(ExportRecord.merchant)
        case .licences: record = Self.licence(&r).map(ExportRecord.licence)
        case .events: record = Self.event(&r).map(ExportRecord.event)
        case .receipts: record = Self.receipt(&r).map(ExportRecord.receipt)
        case .registry: record = Self.registry(&r).map(ExportRecord.registry)
        }
        if let record, r.problems.isEmpty { return .success(record) }
        return .failure(RowRejection(line: row.line, problems: r.problems))
    }

    // Field positions follow the arrays in ExportSchema.

    static func merchant(_ r: inout FieldReader) -> MerchantRecord? {
        let id = r.identifier(0, required: true), shop = r.text(1, required: true)
        let entity = r.coded(2, CodedTables.entityType, required: true), uscc = r.uscc(3)
        let regName = r.text(4), legal = r.text(5), regAddr = r.text(6)
        let dName = r.text(7), dUSCC = r.text(8), dAddr = r.text(9), shown = r.bool(10)
        let categories = r.typed(11, required: true, CategoryList.parse), small = r.bool(12)
        let turnover = r.fen(13), verified = r.date(14), opened = r.date(15)
        let status = r.coded(16, CodedTables.storefrontStatus), complaints = r.integer(17), region = r.regionCode(18)
        guard let id, let shop, let entity, let categories else { return nil }
        return MerchantRecord(platformMerchantID: id, shopName: shop, entityType: entity, uscc: uscc,
            registeredName: regName, legalRepresentative: legal, registeredAddress: regAddr,
            displayedName: dName, displayedUSCC: dUSCC, displayedAddress: dAddr, licenceDisplayed: shown,
            categories: categories, smallScaleDeclared: small, annualTurnoverFen: turnover, verifiedAt: verified,
            openedAt: opened, status: status, complaints90d: complaints.map { Int($0) }, regionCode: region)
    }

    static func licence(_ r: inout FieldReader) -> LicenceRecord? {
        let id = r.identifier(0, required: true), type = r.coded(1, CodedTables.licenceType, required: true)
        let no = r.text(2, required: true), holder = r.text(3), from = r.date(4), to = r.date(5), issuer = r.text(6)
        guard let id, let type, let no else { return nil }
        return LicenceRecord(platformMerchantID: id, licenceType: type, licenceNo: no, holderName: holder,
                             validFrom: from, validTo: to, issuer: issuer)
    }

    static func event(_ r: inout FieldReader) -> EventRecord? {
        let eid = r.text(0, required: true), id = r.identifier(1, required: true)
        let type = r.coded(2, CodedTables.eventType, required: true), at = r.dateTime(3, required: true)
        let severity = r.coded(4, CodedTables.eventSeverity), text = r.text(5)
        guard let eid, let id, let type, let at else { return nil }
        return EventRecord(eventID: eid, platformMerchantID: id, eventType: type, occurredAt: at,
                           severity: severity, description: text)
    }

    static func receipt(_ r: inout FieldReader) -> ReceiptRecord? {
        let rid = r.text(0, required: true), iid = r.text(1, required: true), id = r.identifier(2, required: true)
        let action = r.coded(3, CodedTables.receiptAction, required: true), at = r.dateTime(4, required: true)
        let note = r.text(5)
        guard let rid, let iid, let id, let action, let at else { return nil }
        return ReceiptRecord(receiptID: rid, instructionID: iid, platformMerchantID: id, action: action, at: at, note: note)
    }

    static func registry(_ r: inout FieldReader) -> RegistryRecord? {
        let uscc = r.uscc(0, required: true), name = r.text(1, required: true), legal = r.text(2)
        let address = r.text(3), status = r.coded(4, CodedTables.registrationStatus), changed = r.date(5)
        let abnormal = r.bool(6), serious = r.bool(7), year = r.year(8)
        guard let uscc, let name else { return nil }
        return RegistryRecord(uscc: uscc, name: name, legalRepresentative: legal, address: address,
            registrationStatus: status, changedAt: changed, abnormalList: abnormal,
            seriousViolationList: serious, lastAnnualReportYear: year)
    }
}

/// Reads the fields of one row by schema position, recording a problem for each bad value.
struct FieldReader {
    let values: [String]
    let mapping: HeaderMapping
    var problems: [FieldProblem] = []

    init(values: [String], mapping: HeaderMapping) { self.values = values; self.mapping = mapping }

    /// The trimmed value of field `f`, nil when absent; a required absent value is a problem.
    mutating func raw(_ f: Int, required: Bool) -> String? {
        let c = mapping.columnOfField[f]
        if c >= 0, c < values.count, let v = FieldText.trimmed(values[c]) { return v }
        if required { problem(f, "required value missing") }
        return nil
    }

    mutating func problem(_ f: Int, _ reason: String) {
        let c = mapping.columnOfField[f]
        problems.append(c >= 0
            ? FieldProblem(column: mapping.columns[c], columnNumber: c + 1, reason: reason)
            : FieldProblem(column: mapping.schema[f].displayName, columnNumber: nil, reason: reason))
    }

    @inline(__always)
    mutating func typed<T>(_ f: Int, required: Bool, _ parse: (String) throws(FieldError) -> T) -> T? {
        guard let v = raw(f, required: required) else { return nil }
        do { return try parse(v) } catch { problem(f, error.reason); return nil }
    }

    mutating func text(_ f: Int, required: Bool = false) -> String? { raw(f, required: required) }
    mutating func identifier(_ f: Int, required: Bool = false) -> String? {
        typed(f, required: required) { v throws(FieldError) in try NumberField.identifier(v) }
    }
    mutating func uscc(_ f: Int, required: Bool = false) -> String? {
        typed(f, required: required, NumberField.usccShape)
    }
    mutating func bool(_ f: Int) -> Bool? { typed(f, required: false, BoolField.parse) }
    mutating func date(_ f: Int) -> CivilDate? { typed(f, required: false, DateField.date) }
    mutating func dateTime(_ f: Int, required: Bool = false) -> Int64? {
        typed(f, required: required, DateField.dateTime)
    }
    mutating func fen(_ f: Int) -> Int64? { typed(f, required: false, NumberField.fen) }
    mutating func integer(_ f: Int) -> Int64? {
        typed(f, required: false) { v throws(FieldError) in try NumberField.integer(v) }
    }
    mutating func year(_ f: Int) -> Int? { typed(f, required: false, NumberField.year) }
    mutating func regionCode(_ f: Int) -> String? { typed(f, required: false, NumberField.regionCode) }
    mutating func coded<T: CodedValue>(_ f: Int, _ table: CodedTable<T>, required: Bool = false) -> T? {
        typed(f, required: required, table.parse)
    }
}
