import SandboxCore

/// The registry's rows by code, held by the look-ahead so that its registry look-up of a merchant
/// reads the entry's row directly instead of descending the codes' index first.
///
/// In an ingest of 469,000 merchants after 446,166 registry entries, that descent was more than
/// half of the verifier's registry look-ups (517 of 917 samples at 299 Hz): twenty comparisons of
/// text keys, and an index leaf the verifier's small cache seldom holds, read from the kernel
/// (issue 16, session 33). Here a code is a binary search over one sorted `UInt64` an entry — the
/// high half of the code's hash, then its row — 3.6 MB at 446,166 entries; a code no entry has
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
    /// `hash << 32 | row`, sorted; empty until made, or when the rows do not fit.
    private var entries: [UInt64] = []

    /// `afterMerchants`, `mostEntries` and `hash` are the tests' to change.
    init(afterMerchants: Int = Self.afterMerchants, mostEntries: Int = Self.mostEntries,
         hash: @escaping (UnsafeBufferPointer<UInt8>) -> UInt32 = Self.hash) {
        threshold = afterMerchants
        self.mostEntries = mostEntries
        self.hash = hash
    }

    /// Whether the rows are held (made, and their row numbers fit).
    var isHeld: Bool { !entries.isEmpty }

    /// The entry of a merchant's exported code, as `AgentState.registry(merchantUSCC:)` answers.
    mutating func entry(merchantUSCC uscc: String, in state: AgentState) throws -> RegistryRecord? {
        if !made {
            asked += 1
            if asked >= threshold { try make(from: state) }
        }
        guard !entries.isEmpty else { return try state.registry(merchantUSCC: uscc) }
        for key in USCC.registryKeys(uscc) {
            if let entry = try entry(key, in: state) { return entry }
        }
        return nil
    }

    private func entry(_ key: String, in state: AgentState) throws -> RegistryRecord? {
        var key = key
        let hash = key.withUTF8 { self.hash($0) }
        var i = lowerBound(UInt64(hash) << 32)
        while i < entries.count, entries[i] >> 32 == UInt64(hash) {
            if let entry = try state.registry(rowid: Int64(entries[i] & 0xffff_ffff)), entry.uscc == key { return entry }
            i += 1
        }
        return nil
    }

    private mutating func make(from state: AgentState) throws {
        made = true
        let count = try state.registryCount()
        guard (1...mostEntries).contains(count) else {
            if count > mostEntries { try state.setPageCache(kiB: Self.cacheKiBThroughIndex) }
            return
        }
        var all: [UInt64] = []
        all.reserveCapacity(count)  // grown by appends, it took twice its size
        var fits = true
        try state.forEachRegistryRow { code, row in
            guard fits, (0...Int64(UInt32.max)).contains(row) else { fits = false; return }
            all.append(UInt64(hash(code)) << 32 | UInt64(row))
        }
        guard fits else { return }
        all.sort()
        entries = all
    }

    private func lowerBound(_ value: UInt64) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static func hash(_ code: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: ContentHashValue.of(bytes: UnsafeRawBufferPointer(code)) >> 32)
    }
}
