import SandboxCore
import SandboxStorage
import SandboxWire

// The registration-exempt turnover summed across platforms (ExemptTurnover; issue 13 correction
// 9): `turnover` directives to every storefront of a person whose shops together exceed the
// limit, and again when that changes; `turnover_sums` (schema step 20) keeps what was sent.
extension StoreSession {
    /// Every storefront of a natural person that declared the small-scale exemption.
    func exemptStorefronts() throws -> [ExemptTurnover.Storefront] {
        let s = try database.prepare("""
            SELECT platform_id, key, json_extract(data, '$.shop_name'), json_extract(data, '$.registered_name'),
                   json_extract(data, '$.registered_address'), json_extract(data, '$.annual_turnover_fen')
            FROM records WHERE type = 'merchant' AND uscc IS NULL
              AND json_extract(data, '$.entity_type') = 'natural_person'
              AND json_extract(data, '$.small_scale_declared') = \(dialect.jsonTrue)
            """)
        defer { s.reset() }
        var out: [ExemptTurnover.Storefront] = []
        while try s.step() {
            out.append(ExemptTurnover.Storefront(
                platformID: s.string(0) ?? "", merchantID: s.string(1) ?? "", shopName: s.string(2) ?? "",
                name: s.string(3) ?? "", address: s.string(4) ?? "", turnoverFen: Int64(s.string(5) ?? "") ?? 0))
        }
        return out
    }

    /// What a sweep would send now (ExemptTurnover.changes): read on any session, so the keeper
    /// asks on a read session first and takes the write lock only when something changed.
    public func turnoverChanges() throws -> (changes: [ExemptTurnover.Change], limitFen: Int64) {
        let limit = ((try? publishedPack()) ?? nil)?.verification.smallScaleTurnoverLimitFen
            ?? VerificationPolicy.standard.smallScaleTurnoverLimitFen
        var kept: [String: ExemptTurnover.Kept] = [:]
        let read = try database.prepare("SELECT person_key, total_fen, over, storefronts FROM turnover_sums")
        defer { read.reset() }
        while try read.step() {
            kept[read.string(0) ?? ""] = ExemptTurnover.Kept(totalFen: read.int64(1), over: read.int(2) != 0, shops: read.string(3) ?? "")
        }
        return (ExemptTurnover.changes(people: ExemptTurnover.people(try exemptStorefronts()), kept: kept, limitFen: limit), limit)
    }

    /// Sums every exempt person's shops and sends what changed: to each shop of a person over the
    /// limit when the sum or the shops changed, and to each shop of one no longer over it (its
    /// agent then withdraws the finding). The limit is the published pack's
    /// `[verification] small_scale_turnover_limit_cny` (100,000 CNY without one). The changes are
    /// read again inside the transaction: another node may have sent them meanwhile.
    public func sendTurnoverSums(now: Int64) throws -> [Directive] {
        try database.transaction {
            let (changes, limit) = try turnoverChanges()
            var sent: [Directive] = []
            for change in changes {
                switch change {
                case .sum(let person, let over):
                    sent += try sendTurnover(person.storefronts, name: person.name, total: person.totalFen, over: over,
                                             limit: limit, now: now)
                    try keepTurnover(person.key, total: person.totalFen, over: over,
                                     shops: ExemptTurnover.shopsText(person.storefronts), now: now)
                case .gone(let key, let shops):
                    sent += try sendTurnover(shops, name: "", total: 0, over: false, limit: limit, now: now)
                    try keepTurnover(key, total: 0, over: false, shops: ExemptTurnover.shopsText(shops), now: now)
                }
            }
            return sent
        }
    }

    /// One `turnover` directive per storefront. A platform learns the person's total and how many
    /// shops it has elsewhere, never which platforms or shops (each platform sees its own data).
    private func sendTurnover(_ shops: [ExemptTurnover.Storefront], name: String, total: Int64, over: Bool, limit: Int64,
                              now: Int64) throws -> [Directive] {
        try shops.map { shop in
            let own = shops.filter { $0.platformID == shop.platformID }
            let payload = JSONValue.object([
                "over": .bool(over), "summed_turnover_fen": .int(total), "limit_fen": .int(limit),
                "shops": .int(Int64(shops.count)), "shops_elsewhere": .int(Int64(shops.count - own.count)),
                "own_shops": .array(own.map { .object(["platform_merchant_id": .string($0.merchantID),
                                                       "annual_turnover_fen": .int($0.turnoverFen)]) }),
                "basis": .string("《网络交易监督管理办法》第八条"),
                "reason": .string(over
                    ? "\(name)在各平台的\(shops.count)家店铺年交易额合计\(Yuan.text(total))元，超过小额零星豁免限额\(Yuan.text(limit))元"
                    : "各平台店铺年交易额合计不再超过小额零星豁免限额"),
                "decided_at": .string(UTCTime.rfc3339(now)),
            ])
            return try insertDirective(NewDirective(platformID: shop.platformID, type: "turnover",
                                                    platformMerchantID: shop.merchantID, payload: payload), now: now)
        }
    }

    private func keepTurnover(_ key: String, total: Int64, over: Bool, shops: String, now: Int64) throws {
        let s = try database.prepare("""
            INSERT INTO turnover_sums (person_key, total_fen, over, storefronts, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (person_key) DO UPDATE SET total_fen = excluded.total_fen, over = excluded.over,
                storefronts = excluded.storefronts, sent_at = excluded.sent_at
            """)
        defer { s.reset() }
        try s.bind(all: key, total, over ? 1 : 0, shops, now)
        try s.step()
    }
}
