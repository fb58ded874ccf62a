import SandboxCore
import SandboxStorage

// The registry extract (登记信息), keyed by unified social credit code.
extension AgentState {
    static let registryColumns = [
        "uscc", "name", "legal_representative", "address", "registration_status", "changed_at", "abnormal_list",
        "serious_violation_list", "last_annual_report_year",
    ]

    /// Stores a registry entry unless the stored one has the same `hash`.
    @discardableResult
    public func upsert(_ r: RegistryRecord, hash: Int64, now: Int64) throws -> UpsertOutcome {
        let s = statements.upsertRegistry
        // By concrete calls, as the merchants' (`bind(_:hash:now:reverifyOn:to:)`): 446,000 entries
        // in a first registry file, whose writer is its only busy thread.
        try s.bind(1, r.uscc)
        try s.bind(2, r.name)
        try s.bind(3, r.legalRepresentative)
        try s.bind(4, r.address)
        try s.bind(5, r.registrationStatus)
        try s.bind(6, r.changedAt)
        try s.bind(7, r.abnormalList)
        try s.bind(8, r.seriousViolationList)
        try s.bind(9, r.lastAnnualReportYear)
        try s.bind(10, hash)
        try s.bind(11, now)
        return try runUpsert(s)
    }

    static let selectRegistrySQL = "SELECT \(registryColumns.joined(separator: ", ")) FROM registry WHERE uscc = ?"

    /// The registry entry of a merchant's exported code — or, when only its check character is
    /// wrong, of the corrected code: the platform's keying error, which the verifier addresses to
    /// the platform (USCC.registryKeys, USCC_MISKEYED).
    public func registry(merchantUSCC uscc: String) throws -> RegistryRecord? {
        for key in USCC.registryKeys(uscc) { if let entry = try registry(uscc: key) { return entry } }
        return nil
    }

    public func registry(uscc: String) throws -> RegistryRecord? {
        let s = try database.prepare(Self.selectRegistrySQL)
        defer { s.reset() }
        try s.bind(1, uscc)
        guard try s.step() else { return nil }
        return try registryRow(s, uscc)
    }

    static let selectRegistryRowSQL = "SELECT \(registryColumns.joined(separator: ", ")) FROM registry WHERE rowid = ?"

    /// The registry entry in row `rowid` (from `forEachRegistryRow`), nil when there is none.
    func registry(rowid: Int64) throws -> RegistryRecord? {
        let s = try database.prepare(Self.selectRegistryRowSQL)
        defer { s.reset() }
        try s.bind(1, rowid)
        guard try s.step() else { return nil }
        return try registryRow(s, "row \(rowid)")
    }

    /// How many entries the registry holds.
    func registryCount() throws -> Int {
        Int(try database.int64("SELECT count(*) FROM registry") ?? 0)
    }

    /// Every entry's code (its bytes, lent for the call) and row, in the order of the codes' index,
    /// until `body` returns false.
    func forEachRegistryRow(_ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool) throws {
        try forEachKeyAndRow("SELECT uscc, rowid FROM registry", body)
    }

    /// The entry on the current row of a statement selecting `registryColumns`; `key` names it in
    /// an error message.
    private func registryRow(_ s: Statement, _ key: @autoclosure () -> String) throws -> RegistryRecord {
        // The row's name for an error message, made only when one is thrown (issue 16: a string
        // interpolated for every row read was 3 % of an ingest's registry look-ups).
        func at() -> String { "registry \(key())" }
        return RegistryRecord(
            uscc: try s.text(0, at()), name: try s.text(1, "\(at()) name"), legalRepresentative: s.string(2),
            address: s.string(3),
            registrationStatus: try s.coded(4, as: RegistrationStatus.self, "\(at()) registration_status"),
            changedAt: try s.date(5, "\(at()) changed_at"), abnormalList: s.bool(6), seriousViolationList: s.bool(7),
            lastAnnualReportYear: s.intOrNil(8))
    }
}
