import SandboxCore

/// The licences' rows by merchant, held by the look-ahead so that a merchant's licences are read by
/// row, and a merchant without any is answered without SQL.
///
/// Two in three merchants hold no licence (323,200 of 469,000 in the benchmark). A look-up by id
/// descends the licences' index to a leaf the verifier's small cache seldom holds, read from the
/// kernel: a quarter of the verifier's time in an ingest (issue 16, session 29), when a filter of
/// holders spared those without. The holders' look-ups were still a fifth of it (374 of 1,840
/// samples at 299 Hz, session 34), 211 of them that descent. Here a merchant is a look-up in one
/// sorted `UInt64` a licence (`HashedRows`, 1.2 MB at 151,387 licences), then a read of each of
/// its licences by row.
///
/// Made from the verifier's read snapshot, in which the licences cannot change, and only once a
/// file has gone past `afterMerchants` merchants, so a small daily file does not pay for reading
/// every licence's key. More licences than `mostEntries` (or row numbers past 2^32) are looked up
/// through the index, past a filter of holders as before.
struct LicenceRows {
    /// Merchants verified before the rows are read. Reading 151,387 licences' keys took about
    /// 30 ms; a look-up it spares was 3–8 µs, so it pays for itself within about 10,000 merchants.
    static let afterMerchants = 16_384
    /// The most licences held: 8 MiB.
    static let mostEntries = 1 << 20
    /// The filter of holders when the licences are not held: 512 KiB, 0.23 % of merchants without
    /// a licence still looked up at 145,799 holders (measured on the benchmark's state).
    static let filterLog2Bits = 22

    private enum Held {
        case notYet
        case rows(HashedRows)
        case holders(SeenFilter)
    }

    private let threshold: Int
    private let mostEntries: Int
    private let hash: (UnsafeBufferPointer<UInt8>) -> UInt32
    private var asked = 0
    private var held = Held.notYet

    /// `afterMerchants`, `mostEntries` and `hash` are the tests' to change.
    init(afterMerchants: Int = Self.afterMerchants, mostEntries: Int = Self.mostEntries,
         hash: @escaping (UnsafeBufferPointer<UInt8>) -> UInt32 = HashedRows.hash) {
        threshold = afterMerchants
        self.mostEntries = mostEntries
        self.hash = hash
    }

    /// Whether the rows are held (made, and their row numbers fit).
    var isHeld: Bool {
        if case .rows = held { return true }
        return false
    }

    /// The merchant's licences by type then number, as `AgentState.licences(merchantID:)` answers.
    mutating func licences(of merchantID: String, in state: AgentState) throws -> [LicenceRecord] {
        switch held {
        case .rows(let rows):
            var id = merchantID
            var found: [LicenceRecord] = []
            try rows.forEachRow(hash: id.withUTF8 { hash($0) }) { row in
                if let licence = try state.licence(rowid: row), licence.platformMerchantID == merchantID { found.append(licence) }
                return true
            }
            // The index's order: type, then number, each as SQLite compares text (its bytes).
            if found.count > 1 {
                found.sort { a, b in
                    a.licenceType == b.licenceType
                        ? a.licenceNo.utf8.lexicographicallyPrecedes(b.licenceNo.utf8)
                        : a.licenceType.rawValue.utf8.lexicographicallyPrecedes(b.licenceType.rawValue.utf8)
                }
            }
            return found
        case .holders(let filter):
            return filter.mayContain(merchantID) ? try state.licences(merchantID: merchantID) : []
        case .notYet:
            asked += 1
            if asked >= threshold { try make(from: state) }
            return try state.licences(merchantID: merchantID)
        }
    }

    private mutating func make(from state: AgentState) throws {
        let count = try state.licenceCount()
        if count <= mostEntries, let rows = try HashedRows(count: count, hash: hash, forEach: state.forEachLicenceRow) {
            held = .rows(rows)
            return
        }
        var holders = SeenFilter(log2Bits: Self.filterLog2Bits)
        try state.forEachLicenceRow { id, _ in
            holders.insert(String(decoding: id, as: UTF8.self))
            return true
        }
        held = .holders(holders)
    }
}
