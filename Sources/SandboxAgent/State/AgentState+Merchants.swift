import SandboxCore
import SandboxStorage

// Merchants and their licences.
extension AgentState {
    static let merchantColumns = [
        "platform_merchant_id", "shop_name", "entity_type", "uscc", "registered_name", "legal_representative",
        "registered_address", "displayed_name", "displayed_uscc", "displayed_address", "licence_displayed",
        "category", "small_scale_declared", "annual_turnover_fen", "verified_at", "opened_at", "status",
        "complaints_90d", "region_code",
    ]

    /// `merchantColumns` as a query selects them: a displayed value stored "as registered" read as
    /// the registered one (`DisplayedAsRegistered`).
    static let merchantValues = merchantColumns.map { DisplayedAsRegistered.valueSQL($0) }

    static let licenceColumns = [
        "platform_merchant_id", "licence_type", "licence_no", "holder_name", "valid_from", "valid_to", "issuer",
    ]

    /// Stores a merchant unless the stored one has the same `hash` (then nothing is written).
    /// `reverifyOn`: its next calendar re-verification when the caller verified it already (the
    /// pipeline's look-ahead), written with the row; nil leaves it due until `verify` sets it.
    @discardableResult
    public func upsert(_ m: MerchantRecord, hash: Int64, now: Int64, reverifyOn: CivilDate? = nil) throws -> UpsertOutcome {
        let s = statements.upsertMerchant
        try Self.bind(m, hash: hash, now: now, reverifyOn: reverifyOn, to: s)
        return try queued(runUpsert(s), .merchant, m.platformMerchantID, now: now)
    }

    /// The merchant upsert's parameters (`merchantColumns`, then content_hash, updated_at and
    /// reverify_on), each by a concrete call. `bind(all:)` reached each value through the generic
    /// `SQLBindable` witnesses (an `Optional`'s, then its wrapped type's), unspecialised over the
    /// parameter pack: 13 % of the writer's samples in a first ingest, where the writer is the
    /// longest thread (issue 16, session 34; `StateTests` reads every column back).
    static func bind(_ m: MerchantRecord, hash: Int64, now: Int64, reverifyOn: CivilDate?, to s: Statement) throws {
        try s.bind(1, m.platformMerchantID)
        try s.bind(2, m.shopName)
        try s.bind(3, m.entityType)
        try s.bind(4, m.uscc)
        try s.bind(5, m.registeredName)
        try s.bind(6, m.legalRepresentative)
        try s.bind(7, m.registeredAddress)
        try DisplayedAsRegistered.bind(8, m.displayedName, registered: m.registeredName, to: s)
        try DisplayedAsRegistered.bind(9, m.displayedUSCC, registered: m.uscc, to: s)
        try DisplayedAsRegistered.bind(10, m.displayedAddress, registered: m.registeredAddress, to: s)
        try s.bind(11, m.licenceDisplayed)
        try s.bind(12, CategoryList.text(m.categories))
        try s.bind(13, m.smallScaleDeclared)
        try s.bind(14, m.annualTurnoverFen)
        try s.bind(15, m.verifiedAt)
        try s.bind(16, m.openedAt)
        try s.bind(17, m.status)
        try s.bind(18, m.complaints90d)
        try s.bind(19, m.regionCode)
        try s.bind(20, hash)
        try s.bind(21, now)
        try s.bind(22, reverifyOn)
    }

    /// Stores a licence unless the stored one has the same `hash`.
    @discardableResult
    public func upsert(_ l: LicenceRecord, hash: Int64, now: Int64) throws -> UpsertOutcome {
        let s = statements.upsertLicence
        // By concrete calls, as the merchants' (`bind(_:hash:now:reverifyOn:to:)`).
        try s.bind(1, l.platformMerchantID)
        try s.bind(2, l.licenceType)
        try s.bind(3, l.licenceNo)
        try s.bind(4, l.holderName)
        try s.bind(5, l.validFrom)
        try s.bind(6, l.validTo)
        try s.bind(7, l.issuer)
        try s.bind(8, hash)
        try s.bind(9, now)
        return try queued(runUpsert(s), .licence, l.platformMerchantID, l.licenceType.rawValue, l.licenceNo, now: now)
    }

    /// The stored content hash of a merchant, nil when it is not stored: tells a changed record
    /// from an unchanged one without reading it.
    public func merchantHash(id: String) throws -> Int64? {
        let s = try database.prepare("SELECT content_hash FROM merchants WHERE platform_merchant_id = ?")
        defer { s.reset() }
        try s.bind(1, id)
        return try s.step() ? s.int64(0) : nil
    }

    public func merchant(id: String) throws -> MerchantRecord? {
        let s = try database.prepare(Self.selectMerchantSQL)
        defer { s.reset() }
        try s.bind(1, id)
        guard try s.step() else { return nil }
        return try merchantRow(s)
    }

    /// The merchant on the current row of a statement selecting `merchantValues`.
    func merchantRow(_ s: Statement) throws -> MerchantRecord {
        // The row's name for an error message, made only when one is thrown (issue 16: a string
        // interpolated for every row read was 3 % of an ingest's registry look-ups).
        func at() -> String { "merchant \(s.string(0) ?? "?")" }
        return MerchantRecord(
            platformMerchantID: try s.text(0, at()), shopName: try s.text(1, "\(at()) shop_name"),
            entityType: try s.requiredCoded(2, as: EntityType.self, "\(at()) entity_type"),
            uscc: s.string(3), registeredName: s.string(4), legalRepresentative: s.string(5),
            registeredAddress: s.string(6), displayedName: s.string(7), displayedUSCC: s.string(8),
            displayedAddress: s.string(9), licenceDisplayed: s.bool(10),
            categories: try s.categories(11, "\(at()) category"),
            smallScaleDeclared: s.bool(12), annualTurnoverFen: s.int64OrNil(13),
            verifiedAt: try s.date(14, "\(at()) verified_at"), openedAt: try s.date(15, "\(at()) opened_at"),
            status: try s.coded(16, as: StorefrontStatus.self, "\(at()) status"),
            complaints90d: s.intOrNil(17), regionCode: s.string(18))
    }

    // Built once: the statement cache is keyed by SQL text, and these run once per merchant.
    static let selectLicencesSQL = "SELECT \(licenceColumns.joined(separator: ", ")) FROM licences "
        + "WHERE platform_merchant_id = ? ORDER BY licence_type, licence_no"
    static let selectLicenceRowSQL = "SELECT \(licenceColumns.joined(separator: ", ")) FROM licences WHERE rowid = ?"
    static let selectMerchantSQL = "SELECT \(merchantValues.joined(separator: ", ")) FROM merchants "
        + "WHERE platform_merchant_id = ?"
    /// In the table's own order (rowid), the row's id last. In id order, each row was found through
    /// the key's index, one random page read per merchant: the daily pass over the 2,429 merchants
    /// due took 1.5 s of reads to pick them from 469,000; the table read in order takes 0.16 s.
    static let selectAllMerchantsSQL = "SELECT \(merchantValues.joined(separator: ", ")), rowid FROM merchants "
        + "WHERE rowid > ? ORDER BY rowid LIMIT 1000"
    /// As `selectAllMerchantsSQL`, only those due for the calendar re-verification by day ?2.
    static let selectDueMerchantsSQL = "SELECT \(merchantValues.joined(separator: ", ")), rowid FROM merchants "
        + "WHERE rowid > ?1 AND (reverify_on IS NULL OR reverify_on <= ?2) ORDER BY rowid LIMIT 1000"

    /// `never` for a merchant whose findings no day would change.
    public static let neverReverified = CivilDate(year: 9999, month: 12, day: 31)!

    /// Sets a merchant's next calendar re-verification (`reverify_on`, schema v14).
    public func setReverifyOn(merchantID: String, _ day: CivilDate) throws {
        let s = try database.prepare("UPDATE merchants SET reverify_on = ? WHERE platform_merchant_id = ?")
        defer { s.reset() }
        try s.bind(all: day, merchantID)
        try s.step()
    }

    /// A merchant's stored next calendar re-verification; nil when unknown (or no such merchant).
    public func reverifyOn(merchantID: String) throws -> String? {
        let s = try database.prepare("SELECT reverify_on FROM merchants WHERE platform_merchant_id = ?")
        defer { s.reset() }
        try s.bind(1, merchantID)
        return try s.step() ? s.string(0) : nil
    }

    /// How many licences are stored.
    func licenceCount() throws -> Int {
        Int(try database.int64("SELECT count(*) FROM licences") ?? 0)
    }

    /// Every licence's merchant id (its bytes, lent for the call) and row, in id order (a scan of
    /// the licences' primary key, which holds both), until `body` returns false (`LicenceRows`).
    func forEachLicenceRow(_ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool) throws {
        try forEachKeyAndRow("SELECT platform_merchant_id, rowid FROM licences ORDER BY platform_merchant_id", body)
    }

    /// The licence in row `rowid` (from `forEachLicenceRow`), nil when there is none.
    func licence(rowid: Int64) throws -> LicenceRecord? {
        let s = try database.prepare(Self.selectLicenceRowSQL)
        defer { s.reset() }
        try s.bind(1, rowid)
        guard try s.step() else { return nil }
        return try licenceRow(s, "row \(rowid)")
    }

    /// Calls `body` with the text key and the row of each row `sql` selects (key, row), until it
    /// returns false.
    func forEachKeyAndRow(_ sql: String, _ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Bool) throws {
        let s = try database.prepare(sql)
        defer { s.reset() }
        while try s.step() {
            let rowid = s.int64(1)
            guard try s.withText(0, { try body($0 ?? UnsafeBufferPointer(start: nil, count: 0), rowid) }) else { return }
        }
    }

    /// The merchant's licences, by type then number.
    public func licences(merchantID: String) throws -> [LicenceRecord] {
        let s = try database.prepare(Self.selectLicencesSQL)
        defer { s.reset() }
        try s.bind(1, merchantID)
        var result: [LicenceRecord] = []
        while try s.step() { result.append(try licenceRow(s, "of \(merchantID)")) }
        return result
    }

    /// The licence on the current row of a statement selecting `licenceColumns`; `key` names it in
    /// an error message.
    private func licenceRow(_ s: Statement, _ key: @autoclosure () -> String) throws -> LicenceRecord {
        // The row's name for an error message, made only when one is thrown (issue 16: a string
        // interpolated for every row read was 3 % of an ingest's registry look-ups).
        func at() -> String { "licence \(key())" }
        return LicenceRecord(
            platformMerchantID: try s.text(0, at()),
            licenceType: try s.requiredCoded(1, as: LicenceType.self, "\(at()) licence_type"),
            licenceNo: try s.text(2, "\(at()) licence_no"), holderName: s.string(3),
            validFrom: try s.date(4, "\(at()) valid_from"), validTo: try s.date(5, "\(at()) valid_to"),
            issuer: s.string(6))
    }

    /// Whether any merchant is stored: a registry file into a state without merchants (the first
    /// day, registry before merchants) has no storefront to look up under each entry's code.
    func holdsMerchants() throws -> Bool {
        try database.int64("SELECT EXISTS (SELECT 1 FROM merchants)") == 1
    }

    /// Every storefront registered under one unified social credit code, sorted.
    public func merchantIDs(uscc: String) throws -> [String] {
        let s = try database.prepare("SELECT platform_merchant_id FROM merchants WHERE uscc = ? "
                                         + "ORDER BY platform_merchant_id")
        defer { s.reset() }
        try s.bind(1, uscc)
        var result: [String] = []
        while try s.step() { result.append(try s.text(0, "merchants.platform_merchant_id")) }
        return result
    }

    /// Merchants holding at least one licence of `type`, sorted.
    public func merchantIDs(withLicencesOf type: LicenceType) throws -> [String] {
        let s = try database.prepare("SELECT DISTINCT platform_merchant_id FROM licences WHERE licence_type = ? "
                                         + "ORDER BY platform_merchant_id")
        defer { s.reset() }
        try s.bind(1, type)
        var result: [String] = []
        while try s.step() { result.append(try s.text(0, "licences.platform_merchant_id")) }
        return result
    }
}
