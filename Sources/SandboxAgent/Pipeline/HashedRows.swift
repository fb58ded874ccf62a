import SandboxCore

/// A table's rows by the hash of a key: one sorted `UInt64` a row, the key's 32-bit hash in the
/// high half and the row number in the low. What the look-ahead holds instead of descending a text
/// index for every merchant (`RegistryRows`, `LicenceRows`): a bucket of a few entries, then a
/// read by row.
///
/// Two keys may share a hash; the caller reads every row under a hash and compares its key, so a
/// shared hash costs a read, never a wrong answer.
struct HashedRows {
    /// `hash << 32 | row`, sorted.
    private let entries: [UInt64]
    /// Where each run of entries whose hashes share their high `bucketBits` bits starts in
    /// `entries` (and one more: the end), so that a search reads a few neighbouring entries instead
    /// of halving 446,000 of them: nineteen cache misses a look-up, 8 % of the verifier's samples
    /// in an ingest (issue 16, session 34). About four entries a bucket: 4 bytes per 4 entries.
    private let buckets: [UInt32]
    private let bucketBits: Int

    /// The rows `forEach` lends (a key's bytes and its row), `count` of them at most; nil when a
    /// row number does not fit in 32 bits (a table that has seen more than 4 billion inserts).
    init?(count: Int, hash: @escaping (UnsafeBufferPointer<UInt8>) -> UInt32,
          forEach: ((UnsafeBufferPointer<UInt8>, Int64) -> Bool) throws -> Void) rethrows {
        var all: [UInt64] = []
        all.reserveCapacity(count)  // grown by appends, it took twice its size
        var fits = true
        try forEach { key, row in
            guard (0...Int64(UInt32.max)).contains(row) else {
                fits = false
                return false
            }
            all.append(UInt64(hash(key)) << 32 | UInt64(row))
            return true
        }
        guard fits else { return nil }
        var bits = 0
        while bits < 24, all.count >> (bits + 2) > 1 { bits += 1 }
        bucketBits = bits
        (entries, buckets) = Self.sortedByBucket(all, bits: bits)
    }

    /// `entries` sorted, and where each bucket starts in them: the entries counted by bucket,
    /// placed at their bucket's place, then each bucket (about four entries) sorted alone. Swift's
    /// `sort()` of 597,000 entries was a quarter of the look-ahead's making of both tables at the
    /// start of an ingest, while the writer waited for its first verified rows (issue 16, session 42).
    private static func sortedByBucket(_ entries: [UInt64], bits: Int) -> (sorted: [UInt64], starts: [UInt32]) {
        @inline(__always) func bucket(_ entry: UInt64) -> Int { bits == 0 ? 0 : Int(entry >> (64 - bits)) }
        var starts = [UInt32](repeating: 0, count: (1 << bits) + 1)
        for entry in entries { starts[bucket(entry) + 1] += 1 }
        for i in 1..<starts.count { starts[i] += starts[i - 1] }
        var sorted = [UInt64](unsafeUninitializedCapacity: entries.count) { out, initialized in
            var next = starts
            for entry in entries {
                let b = bucket(entry)
                out.initializeElement(at: Int(next[b]), to: entry)
                next[b] += 1
            }
            initialized = entries.count
        }
        sorted.withUnsafeMutableBufferPointer { all in
            for b in 0..<(starts.count - 1) {
                let low = Int(starts[b]), high = Int(starts[b + 1])
                guard high - low > 1 else { continue }
                if high - low > 16 {
                    // Many keys sharing their hash's high bits (a table made of colliding keys):
                    // no insertion sort's square.
                    all[low..<high].sort()
                    continue
                }
                for i in (low + 1)..<high {
                    let entry = all[i]
                    var j = i
                    while j > low, all[j - 1] > entry {
                        all[j] = all[j - 1]
                        j -= 1
                    }
                    all[j] = entry
                }
            }
        }
        return (sorted, starts)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Calls `body` with each row under `hash`, in row order, until it returns false.
    func forEachRow(hash: UInt32, _ body: (Int64) throws -> Bool) rethrows {
        var i = lowerBound(UInt64(hash) << 32)
        while i < entries.count, entries[i] >> 32 == UInt64(hash) {
            guard try body(Int64(entries[i] & 0xffff_ffff)) else { return }
            i += 1
        }
    }

    private func lowerBound(_ value: UInt64) -> Int {
        let bucket = bucketBits == 0 ? 0 : Int(value >> (64 - bucketBits))
        var low = Int(buckets[bucket]), high = Int(buckets[bucket + 1])
        while low < high {
            let mid = (low + high) / 2
            if entries[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The high half of the content hash of a key's bytes.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: ContentHashValue.of(bytes: UnsafeRawBufferPointer(key)) >> 32)
    }
}
