/// The merchants that hold any licence, as a filter the look-ahead asks before it looks a
/// merchant's licences up.
///
/// Two in three merchants hold none (145,799 of 469,000 in the benchmark), yet each look-up
/// descends the licences' index to a leaf the verifier's small cache seldom holds, and reads it
/// from the kernel: a quarter of the verifier's time in an ingest (issue 16, session 29). The
/// filter answers "certainly none" for most of them. It is made from the verifier's read snapshot,
/// in which the licences cannot change, and only once a file has gone past `afterMerchants`
/// merchants, so a small daily file does not pay for reading every holder's id.
struct LicenceHolders {
    /// Merchants verified before the filter is made. Reading the holders' ids (151,387 entries of
    /// the licences' key) into it took about 20 ms of an ingest (5 samples at 299 Hz; SQLite's scan
    /// alone 22 ms in `sqlite3`); a look-up it spares was 3–4 µs, so it pays for itself within
    /// about 10,000 merchants without a licence. A file shorter than this never pays for it.
    static let afterMerchants = 16_384
    /// 512 KiB: 0.23 % of merchants without a licence still looked up at 145,799 holders
    /// (measured on the benchmark's state).
    static let log2Bits = 22

    private var asked = 0
    private var filter: SeenFilter?

    /// Whether `merchantID` may hold a licence in `state`'s snapshot: true until the filter is
    /// made, then false for certain only.
    mutating func mayHold(_ merchantID: String, in state: AgentState) throws -> Bool {
        if let filter { return filter.mayContain(merchantID) }
        asked += 1
        if asked >= Self.afterMerchants {
            var holders = SeenFilter(log2Bits: Self.log2Bits)
            try state.forEachLicenceHolder { holders.insert($0) }
            filter = holders
        }
        return true
    }
}
