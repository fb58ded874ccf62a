import SandboxPolicy
import SandboxStorage

// The reads a policy pass loads its facts from, each table once in table order
// (docs/policy.md §13.1); `PolicyLoader` turns the rows into columns. Each hands the caller the
// statement positioned on a row, so the loader reads its values as bytes, without a String or a
// row struct per merchant; the columns of each row are those the method's comment lists.
extension AgentState {
    /// The `merchants` column of each field a pack may read of a merchant.
    static let policyMerchantColumns: [ConditionField: String] = [
        .merchantID: "platform_merchant_id", .shopName: "shop_name", .uscc: "uscc", .registeredName: "registered_name",
        .legalRepresentative: "legal_representative", .registeredAddress: "registered_address", .displayedName: "displayed_name",
        .displayedUSCC: "displayed_uscc", .displayedAddress: "displayed_address", .regionCode: "region_code",
        .entityType: "entity_type", .status: "status", .licenceDisplayed: "licence_displayed",
        .smallScaleDeclared: "small_scale_declared", .annualTurnover: "annual_turnover_fen", .complaints90d: "complaints_90d",
        .verifiedAt: "verified_at", .openedAt: "opened_at",
    ]

    /// The `registry` column of each field a pack may read of a merchant's registry entry.
    static let policyRegistryColumns: [ConditionField: String] = [
        .registryName: "name", .registryLegalRepresentative: "legal_representative", .registryAddress: "address",
        .registrationStatus: "registration_status", .registryChangedAt: "changed_at", .abnormalList: "abnormal_list",
        .seriousViolationList: "serious_violation_list", .lastAnnualReportYear: "last_annual_report_year",
    ]

    /// The tables the loader sizes its columns by.
    enum PolicyTable: String { case merchants, registry }

    /// At least as many as the rows of `table` (its largest rowid: no scan), for the loader to size
    /// its columns once. Grown by doubling they were up to twice their size, and the copies left
    /// behind a fragmented heap (issue 16).
    func rowsBound(_ table: PolicyTable) throws -> Int {
        try Self.rowsBound(table, in: database)
    }

    /// `rowsBound` on any connection to the state (the side reads' too, `PolicySideReads`).
    static func rowsBound(_ table: PolicyTable, in db: Database) throws -> Int {
        let s = try db.prepareUncached("SELECT ifnull(max(rowid), 0) FROM \(table.rawValue)")
        guard try s.step() else { return 0 }
        return Int(s.int64(0))
    }

    /// Every merchant in table order (`PolicyLoader` takes them in id order): column 0 its id, 1 its
    /// USCC, then one column per field of `fields` (each a key of `policyMerchantColumns`).
    func scanMerchants(_ fields: [ConditionField], _ row: (Statement) throws -> Void) throws {
        let values = fields.map { ", " + DisplayedAsRegistered.valueSQL(Self.column(Self.policyMerchantColumns, $0)) }
        try scan("SELECT platform_merchant_id, uscc" + values.joined() + " FROM merchants", row)
    }

    /// Every registry entry: column 0 its USCC, then one column per field of `fields` (each a key
    /// of `policyRegistryColumns`). Read beside the merchants, on a connection of its own
    /// (`PolicySideReads.scanRegistry`).
    static func registrySQL(_ fields: [ConditionField]) -> String {
        "SELECT uscc" + fields.map { ", " + column(policyRegistryColumns, $0) }.joined() + " FROM registry"
    }

    /// Every finding: merchant id, code, severity.
    func scanFindings(_ row: (Statement) throws -> Void) throws {
        try scan("SELECT platform_merchant_id, code, severity FROM findings", row)
    }

    /// Every licence: merchant id, licence type, number, holder's name, issuer, valid from, valid to.
    func scanLicences(_ row: (Statement) throws -> Void) throws {
        try scan("SELECT platform_merchant_id, licence_type, licence_no, holder_name, issuer, valid_from, valid_to FROM licences", row)
    }

    /// The policy's memory of every merchant it has decided: merchant id, class, points, decision
    /// hash, class since, member, member since, eligible since, readmit after days, hold until
    /// day, source, excluded by the regulator.
    func scanMerchantPolicy(_ row: (Statement) throws -> Void) throws {
        try flushPolicyBatches()
        try scan("""
            SELECT platform_merchant_id, class, points, decision_hash, class_since, member, member_since, eligible_since,
                   readmit_after_days, hold_until_day, source, excluded_by_regulator FROM merchant_policy
            """, row)
    }

    private func scan(_ sql: String, _ row: (Statement) throws -> Void) throws {
        let s = try database.prepareUncached(sql)
        while try s.step() { try row(s) }
    }

    private static func column(_ columns: [ConditionField: String], _ field: ConditionField) -> String {
        guard let name = columns[field] else { preconditionFailure("no stored column for the policy field \(field)") }
        return name
    }
}
