import SandboxCore

/// The registry's rows by code, held by the look-ahead so that its registry look-up of a merchant
/// reads the entry's row directly instead of descending the codes' index first.
///
/// In an ingest of 469,000 merchants after 446,166 registry entries, that descent was more than
/// half of the verifier's registry look-ups (517 of 917 samples at 299 Hz): twenty comparisons of
/// text keys, and an index leaf the verifier's small cache seldom holds, read from the kernel
/// (issue 16, session 33). Here a code is a look-up in one sorted `UInt64` an entry (`HashedRows`)
/// — the high half of the code's hash, then its row — 3.6 MB at 446,166 entries; a code no entry has
/// (4,415 of the benchmark's 455,099 codes) costs no SQL at all.
///
/// Made from the verifier's read snapshot, in which the registry cannot change, and only once a
/// file has gone past `afterMerchants` merchants. Two codes may share a 32-bit hash (about twenty
/// pairs at this size): every row under a hash is read and its code compared, so a shared hash
/// costs a read, never a wrong entry. A registry whose row numbers pass 2^32 is looked up through
/// its index as before.
struct RegistryRows {
    /// Merchants verified before the rows are read. Reading 446,166 codes took about 0.1 s; a
    /// look-up it spares was about 3.7 µs, so it pays for itself within about 30,000 merchants.
    static let afterMerchants = 16_384
    /// The most entries held: 8 MiB. A larger registry (a platform of millions of storefronts) is
    /// looked up through its index, so that an ingest's memory does not grow with the state's.
    static let mostEntries = 1 << 20
    /// The verifier's page cache when a registry too large to hold is looked up through its index
    /// (`RowLookahead.readCacheKiB` otherwise). Set only then: a cache shrunk once the rows were
    /// made kept its pages' memory (95.6–96.4 MiB peak against 92.2–92.8 for a 4 MiB cache from
    /// the start).
    static let cacheKiBThroughIndex = 8_192

    private let threshold: Int
    private let mostEntries: Int
    private let hash: (UnsafeBufferPointer<UInt8>) -> UInt32
    private var asked = 0
    private var made = false
    /// Nil until made, or when the rows do not fit.
    private var rows: HashedRows?

    /// `afterMerchants`, `mostEntries` and `hash` are the tests' to change.
    init(afterMerchants: Int = Self.afterMerchants, mostEntries: Int = Self.mostEntries,
         hash: @escaping (UnsafeBufferPointer<UInt8>) -> UInt32 = HashedRows.hash) {
        threshold = afterMerchants
        self.mostEntries = mostEntries
        self.hash = hash
    }

    /// Whether the rows are held (made, and their row numbers fit).
    var isHeld: Bool { rows.map { !$0.isEmpty } ?? false }

    /// The entry of a merchant's exported code, as `AgentState.registry(merchantUSCC:)` answers.
    mutating func entry(merchantUSCC uscc: String, in state: AgentState) throws -> RegistryRecord? {
        if !made {
            asked += 1
            if asked >= threshold { try make(from: state) }
        }
        guard let rows, !rows.isEmpty else { return try state.registry(merchantUSCC: uscc) }
        for key in USCC.registryKeys(uscc) {
            if let entry = try entry(key, in: rows, state: state) { return entry }
        }
        return nil
    }

    private func entry(_ key: String, in rows: HashedRows, state: AgentState) throws -> RegistryRecord? {
        var key = key
        var found: RegistryRecord?
        try rows.forEachRow(hash: key.withUTF8 { hash($0) }) { row in
            if let entry = try state.registry(rowid: row), entry.uscc == key { found = entry }
            return found == nil
        }
        return found
    }

    private mutating func make(from state: AgentState) throws {
        made = true
        let count = try state.registryCount()
        guard (1...mostEntries).contains(count) else {
            if count > mostEntries { try state.setPageCache(kiB: Self.cacheKiBThroughIndex) }
            return
        }
        rows = try HashedRows(count: count, hash: hash, forEach: state.forEachRegistryRow)
    }
}
