import SandboxCore
import SandboxStorage
import SandboxWire

/// Renders queued entries as the lines the regulator takes (docs/api/openapi.yaml `FeedItem`,
/// `Receipt`), from the records' current content. Bytes straight from SQLite into the batch body:
/// a 469,000-merchant first sync renders every merchant once. A feed item's envelope is the wire's
/// `FeedItemLine`, which the regulator's intake reads; the `data` objects are written here.
final class FeedLineRenderer {
    let platformID: String
    private let merchant: Statement
    private let licence: Statement
    private let event: Statement
    private let receipt: Statement
    private let findings: Statement
    private let merchantUSCC: Statement
    private let policyItem: Statement
    private let activePack: Statement
    /// Policy items are stored encoded (schema v11); each is rendered from its JSON.
    private let itemCodec = PolicyItemCodec()
    /// `,"pack_version":"chengdu-2026.1","pack_serial":1` while a rule pack is active (docs/policy.md
    /// §10.1: everything sent names the pack in force); empty without one.
    private var packStamp: [UInt8] = []
    /// The batch's version (`FeedBatcher`), written into every feed item as `"version":V`.
    var version: Int64 = 0

    /// How a column's value is written into `data`.
    enum Column {
        case value(String)
        case flag(String)
        case instant(String)
    }

    static let merchantData: [Column] = AgentState.merchantColumns.map {
        $0 == "licence_displayed" || $0 == "small_scale_declared" ? .flag($0) : .value($0)
    }
    static let licenceData: [Column] = AgentState.licenceColumns.map { .value($0) }
    static let eventData: [Column] = AgentState.eventColumns.map { $0 == "occurred_at" ? .instant($0) : .value($0) }
    static let receiptData: [Column] = AgentState.receiptColumns.map { $0 == "at" ? .instant($0) : .value($0) }

    init(state: AgentState, platformID: String) throws {
        self.platformID = platformID
        let db = state.database
        merchant = try db.prepare("""
            SELECT \(AgentState.merchantValues.joined(separator: ", ")), content_hash
            FROM merchants WHERE platform_merchant_id = ?
            """)
        licence = try db.prepare("""
            SELECT \(AgentState.licenceColumns.map { "l." + $0 }.joined(separator: ", ")), l.content_hash, m.uscc
            FROM licences l LEFT JOIN merchants m ON m.platform_merchant_id = l.platform_merchant_id
            WHERE l.platform_merchant_id = ? AND l.licence_type = ? AND l.licence_no = ?
            """)
        event = try db.prepare("""
            SELECT \(AgentState.eventColumns.map { "e." + $0 }.joined(separator: ", ")), e.content_hash, m.uscc
            FROM events e LEFT JOIN merchants m ON m.platform_merchant_id = e.platform_merchant_id
            WHERE e.event_id = ?
            """)
        receipt = try db.prepare("SELECT \(AgentState.receiptColumns.joined(separator: ", ")) FROM receipts WHERE receipt_id = ?")
        findings = try db.prepare("""
            SELECT code, severity, message, basis, evidence_json, first_seen FROM findings
            WHERE platform_merchant_id = ? ORDER BY code
            """)
        merchantUSCC = try db.prepare("SELECT uscc FROM merchants WHERE platform_merchant_id = ?")
        policyItem = try db.prepare("SELECT uscc, data, pack_version, pack_serial FROM policy_items WHERE type = ? AND key = ?")
        activePack = try db.prepare("SELECT pack_id || '-' || version, serial FROM rulepacks WHERE state = 'active' ORDER BY serial DESC LIMIT 1")
    }

    /// Reads the active pack once per batch.
    func refreshPackStamp() throws {
        defer { activePack.reset() }
        packStamp = []
        guard try activePack.step(), let version = activePack.string(0) else { return }
        var text = version
        text.withUTF8 { FeedItemLine.appendPack(version: $0, serial: activePack.int64(1), to: &packStamp) }
    }

    /// Appends the entry's line and a newline to `out`; false when the record is no longer stored.
    func append(_ entry: FeedEntry, to out: inout [UInt8]) throws -> Bool {
        switch entry.type {
        case .merchant:
            return try item(merchant, binding: [entry.key], type: .merchant, key: entry.key,
                            data: Self.merchantData, usccColumn: 3, to: &out)
        case .licence:
            guard let type = entry.part2, let number = entry.part3 else { return false }
            return try item(licence, binding: [entry.key, type, number], type: .licence,
                            key: entry.key + "|" + type + "|" + number, data: Self.licenceData,
                            usccColumn: Int32(Self.licenceData.count + 1), to: &out)
        case .event:
            return try item(event, binding: [entry.key], type: .event, key: entry.key, data: Self.eventData,
                            usccColumn: Int32(Self.eventData.count + 1), to: &out)
        case .receipt:
            return try receiptLine(id: entry.key, to: &out)
        case .findings:
            try findingsItem(merchantID: entry.key, to: &out)
            return true
        case .riskClass: return try policyLine(.class, key: entry.key, to: &out)
        case .roster: return try policyLine(.roster, key: entry.key, to: &out)
        case .policyCase: return try policyLine(.case, key: entry.key, to: &out)
        case .instruction: return try policyLine(.instruction, key: entry.key, to: &out)
        case .prompt: return try policyLine(.prompt, key: entry.key, to: &out)
        }
    }

    /// A policy decision as it stands now, stamped with the pack that made it.
    private func policyLine(_ type: FeedItemLine.ItemType, key: String, to out: inout [UInt8]) throws -> Bool {
        defer { policyItem.reset() }
        try policyItem.bind(all: type.rawValue, key)
        guard try policyItem.step() else { return false }
        guard let data = itemCodec.decode(policyItem.blob(1)) else {
            throw StateError.unreadable("\(type.rawValue) item \(key)", found: "bytes no agent stores")
        }
        FeedItemLine.appendStart(type: type, platformID: platformID, key: key, to: &out)
        policyItem.withText(0) { FeedItemLine.appendUSCC($0, to: &out) }
        FeedItemLine.appendHash(FNV1a.hash(data), version: version, to: &out)
        policyItem.withText(2) { FeedItemLine.appendPack(version: $0!, serial: policyItem.int64(3), to: &out) }
        FeedItemLine.appendDataKey(to: &out)
        out.append(contentsOf: data)
        FeedItemLine.appendEnd(to: &out)
        return true
    }

    /// A record's line (`FeedItemLine`); the statement selects the data columns, then
    /// content_hash, then (optionally) the merchant's uscc.
    private func item(_ s: Statement, binding values: [String], type: FeedItemLine.ItemType, key: String, data: [Column],
                      usccColumn: Int32, to out: inout [UInt8]) throws -> Bool {
        defer { s.reset() }
        for (i, v) in values.enumerated() { try s.bind(Int32(i + 1), v) }
        guard try s.step() else { return false }
        FeedItemLine.appendStart(type: type, platformID: platformID, key: key, to: &out)
        s.withText(usccColumn) { FeedItemLine.appendUSCC($0, to: &out) }
        FeedItemLine.appendHash(UInt64(bitPattern: s.int64(Int32(data.count))), version: version, to: &out)
        out.append(contentsOf: packStamp)
        FeedItemLine.appendDataKey(to: &out)
        object(s, data, to: &out)
        FeedItemLine.appendEnd(to: &out)
        return true
    }

    /// The columns as one JSON object; NULL columns are left out.
    private func object(_ s: Statement, _ columns: [Column], to out: inout [UInt8]) {
        out.append(0x7b)
        var first = true
        for (i, column) in columns.enumerated() {
            let index = Int32(i)
            if s.isNull(index) { continue }
            if !first { out.append(0x2c) }
            first = false
            switch column {
            case .value(let name):
                JSONString.append(name, to: &out)
                out.append(0x3a)
                if s.isInteger(index) {
                    out.append(contentsOf: String(s.int64(index)).utf8)
                } else {
                    s.withText(index) { JSONString.append(utf8: $0!, to: &out) }
                }
            case .flag(let name):
                JSONString.append(name, to: &out)
                out.append(contentsOf: (s.int64(index) != 0 ? ":true" : ":false").utf8)
            case .instant(let name):
                JSONString.append(name, to: &out)
                out.append(0x3a)
                JSONString.append(UTCTime.rfc3339(s.int64(index)), to: &out)
            }
        }
        out.append(0x7d)
    }

    /// A receipt line for `POST /v1/receipts`: the receipts columns with English keys.
    private func receiptLine(id: String, to out: inout [UInt8]) throws -> Bool {
        defer { receipt.reset() }
        try receipt.bind(1, id)
        guard try receipt.step() else { return false }
        object(receipt, Self.receiptData, to: &out)
        out.append(0x0a)
        return true
    }

    /// The merchant's complete current findings (`{"current":[…]}`, empty when all cleared), with
    /// a content hash of exactly those bytes.
    private func findingsItem(merchantID: String, to out: inout [UInt8]) throws {
        defer { findings.reset(); merchantUSCC.reset() }
        var data: [UInt8] = Array(#"{"current":["#.utf8)
        try findings.bind(1, merchantID)
        var first = true
        while try findings.step() {
            if !first { data.append(0x2c) }
            first = false
            data.append(contentsOf: #"{"code":"#.utf8)
            findings.withText(0) { JSONString.append(utf8: $0!, to: &data) }
            data.append(contentsOf: #","severity":"#.utf8)
            findings.withText(1) { JSONString.append(utf8: $0!, to: &data) }
            data.append(contentsOf: #","message":"#.utf8)
            findings.withText(2) { JSONString.append(utf8: $0!, to: &data) }
            data.append(contentsOf: #","basis":"#.utf8)
            findings.withText(3) { JSONString.append(utf8: $0!, to: &data) }
            data.append(contentsOf: #","evidence":"#.utf8)
            findings.withText(4) { data.append(contentsOf: $0!) }  // stored as JSON text
            data.append(contentsOf: #","since":"#.utf8)
            JSONString.append(UTCTime.rfc3339(findings.int64(5)), to: &data)
            data.append(0x7d)
        }
        data.append(contentsOf: "]}".utf8)
        FeedItemLine.appendStart(type: .findings, platformID: platformID, key: merchantID, to: &out)
        try merchantUSCC.bind(1, merchantID)
        if try merchantUSCC.step(), !merchantUSCC.isNull(0) {
            merchantUSCC.withText(0) { FeedItemLine.appendUSCC($0, to: &out) }
        } else {
            FeedItemLine.appendUSCC(nil, to: &out)
        }
        FeedItemLine.appendHash(FNV1a.hash(data), version: version, to: &out)
        out.append(contentsOf: packStamp)
        FeedItemLine.appendDataKey(to: &out)
        out.append(contentsOf: data)
        FeedItemLine.appendEnd(to: &out)
    }
}

/// 64-bit FNV-1a: a stable content hash for rendered bytes (not a security measure).
enum FNV1a {
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}
