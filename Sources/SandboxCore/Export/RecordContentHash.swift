/// The content hash of a typed record: all fields in the schema's canonical order, so the same
/// record hashes the same whatever the column order or spelling (是/true, 2026/7/1) of its file.
public func contentHash(_ record: ExportRecord) -> Int64 {
    var h = ContentHash()
    switch record {
    case .merchant(let m):
        h.add(byte: 1)
        h.add(m.platformMerchantID); h.add(m.shopName); h.add(m.entityType.rawValue); h.add(m.uscc)
        h.add(m.registeredName); h.add(m.legalRepresentative); h.add(m.registeredAddress)
        h.add(m.displayedName); h.add(m.displayedUSCC); h.add(m.displayedAddress); h.addBool(m.licenceDisplayed)
        h.add(CategoryList.text(m.categories)); h.addBool(m.smallScaleDeclared); h.addInt(m.annualTurnoverFen)
        h.addDate(m.verifiedAt); h.addDate(m.openedAt); h.add(m.status?.rawValue)
        h.addInt(m.complaints90d.map(Int64.init)); h.add(m.regionCode)
    case .licence(let l):
        h.add(byte: 2)
        h.add(l.platformMerchantID); h.add(l.licenceType.rawValue); h.add(l.licenceNo); h.add(l.holderName)
        h.addDate(l.validFrom); h.addDate(l.validTo); h.add(l.issuer)
    case .event(let e):
        h.add(byte: 3)
        h.add(e.eventID); h.add(e.platformMerchantID); h.add(e.eventType.rawValue); h.addInt(e.occurredAt)
        h.add(e.severity?.rawValue); h.add(e.description)
    case .receipt(let r):
        h.add(byte: 4)
        h.add(r.receiptID); h.add(r.instructionID); h.add(r.platformMerchantID); h.add(r.action.rawValue)
        h.addInt(r.at); h.add(r.note)
    case .registry(let g):
        h.add(byte: 5)
        h.add(g.uscc); h.add(g.name); h.add(g.legalRepresentative); h.add(g.address)
        h.add(g.registrationStatus?.rawValue); h.addDate(g.changedAt); h.addBool(g.abnormalList)
        h.addBool(g.seriousViolationList); h.addInt(g.lastAnnualReportYear.map(Int64.init))
    }
    return h.signed
}

extension ContentHash {
    // Fixed-width encodings: no String is built per field (this runs for every row).
    mutating func addBool(_ b: Bool?) { add(byte: b.map { $0 ? 0x31 : 0x30 } ?? 0x1e); add(byte: 0x1f) }

    mutating func addInt(_ n: Int64?) {
        guard let n else { add(byte: 0x1e); add(byte: 0x1f); return }
        var u = UInt64(bitPattern: n)
        for _ in 0..<8 { add(byte: UInt8(truncatingIfNeeded: u)); u >>= 8 }
        add(byte: 0x1f)
    }

    mutating func addDate(_ d: CivilDate?) { addInt(d.map { Int64($0.dayNumber) }) }
}
