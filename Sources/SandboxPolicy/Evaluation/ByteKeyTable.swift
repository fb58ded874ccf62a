import SandboxCore

/// Maps UTF-8 keys (merchant ids, USCCs) to small integers without making a `String` per
/// lookup: the policy loader joins millions of rows by key straight from SQLite's buffers
/// (docs/policy.md §13.1). It is also the pass's merchant id → row index: a `[String: Int]` of
/// 469,000 ids was 25 MB beside this table's 13 MB (issue 16).
///
/// Open addressing over FNV-1a hashes, kept at most half full (it doubles as keys come). The
/// lookups are bound by memory latency, not by arithmetic: each of the 469,000 keys of a table
/// is a random place in it. So a lookup touches two places: its slot, which holds the key's
/// hash tag beside the record's offset (a slot of another key is passed over without reading
/// that key), and its record, which holds the value, the length and the key's bytes together.
/// The table this replaced kept starts, lengths, values and bytes in four arrays: four cache
/// misses a hit, and a fifth of a steady day's policy load (docs/benchmarks.md, session 23).
public struct ByteKeyTable: Sendable {
    /// Per slot: the hash's high 32 bits, then the record's offset + 1; 0 is an empty slot.
    private var slots: [UInt64]
    private var mask: Int
    /// Records one after another: the value (4 bytes), the key's length (4 bytes), the key.
    private var records: [UInt8] = []
    public private(set) var count = 0
    /// The bytes the records may take before they must grow (tests).
    var recordsCapacity: Int { records.capacity }

    private static let header = 8

    /// `keyBytes`: the keys' bytes, when known: the records are sized once. Grown by appends, the
    /// records of 469,000 merchant ids (8.4 MB) held 16 MiB (issue 16, session 32).
    public init(capacity: Int, keyBytes: Int = 0) {
        slots = [UInt64](repeating: 0, count: Self.size(for: capacity))
        mask = slots.count - 1
        if keyBytes > 0 { records.reserveCapacity(capacity * Self.header + keyBytes) }
    }

    /// Slots for `keys` at most half full.
    static func size(for keys: Int) -> Int {
        var size = 16
        while size < keys * 2 { size <<= 1 }
        return size
    }

    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    @inline(__always) private static func tag(_ h: UInt64) -> UInt64 { h & 0xffff_ffff_0000_0000 }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private static func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64, slots: UnsafeBufferPointer<UInt64>,
                             mask: Int, records: UnsafeBufferPointer<UInt8>) -> (slot: Int, record: Int?) {
        var slot = Int(truncatingIfNeeded: h) & mask
        let tag = Self.tag(h)
        while true {
            let s = slots[slot]
            if s == 0 { return (slot, nil) }
            if Self.tag(s) == tag {
                let r = Int(s & 0xffff_ffff) - 1
                if Self.keyEquals(records, r, key) { return (slot, r) }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func keyEquals(_ records: UnsafeBufferPointer<UInt8>, _ r: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let base = records.baseAddress! + r
        let length = Int(UnsafeRawPointer(base + 4).loadUnaligned(as: UInt32.self))
        return FieldText.equal(UnsafeBufferPointer(start: base + header, count: length), key)
    }

    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int) {
        if (count + 1) * 2 > slots.count { grow() }
        let h = Self.hash(key)
        let (slot, found) = slots.withUnsafeBufferPointer { s in
            records.withUnsafeBufferPointer { Self.find(key, hash: h, slots: s, mask: mask, records: $0) }
        }
        if let found {
            records.withUnsafeMutableBytes { $0.storeBytes(of: Int32(value).littleEndian, toByteOffset: found, as: Int32.self) }
            return
        }
        let offset = records.count
        precondition(offset < Int(UInt32.max) - key.count - Self.header, "ByteKeyTable holds at most 4 GB of keys")
        withUnsafeBytes(of: Int32(value).littleEndian) { records.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(key.count).littleEndian) { records.append(contentsOf: $0) }
        records.append(contentsOf: key)
        slots[slot] = Self.tag(h) | UInt64(offset + 1)
        count += 1
    }

    public mutating func insert(_ key: String, value: Int) {
        key.withUTF8Bytes { insert($0, value: value) }
    }

    /// Twice the slots, every record placed again from its key.
    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let newMask = bigger.count - 1
        records.withUnsafeBufferPointer { rec in
            bigger.withUnsafeMutableBufferPointer { out in
                var r = 0
                while r < rec.count {
                    let length = Int(UnsafeRawPointer(rec.baseAddress! + r + 4).loadUnaligned(as: UInt32.self))
                    let key = UnsafeBufferPointer(rebasing: rec[(r + Self.header)..<(r + Self.header + length)])
                    let h = Self.hash(key)
                    var slot = Int(truncatingIfNeeded: h) & newMask
                    while out[slot] != 0 { slot = (slot + 1) & newMask }
                    out[slot] = Self.tag(h) | UInt64(r + 1)
                    r += Self.header + length
                }
            }
        }
        slots = bigger
        mask = newMask
    }

    public func value(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(key)
        return slots.withUnsafeBufferPointer { s in
            records.withUnsafeBufferPointer { rec -> Int? in
                guard let r = Self.find(key, hash: h, slots: s, mask: mask, records: rec).record else { return nil }
                return Int(Int32(littleEndian: UnsafeRawPointer(rec.baseAddress! + r).loadUnaligned(as: Int32.self)))
            }
        }
    }

    public func value(_ key: String) -> Int? {
        return key.withUTF8Bytes { value($0) }
    }

    /// The row of a merchant id (`rowOf[id]`).
    public subscript(key: String) -> Int? { value(key) }

    /// Every row's id as its key (the pass builds it when it is not given one).
    public init(keys: TextColumn) {
        self.init(capacity: keys.count)
        for i in keys.indices { keys.withBytes(i) { if let k = $0 { insert(k, value: i) } } }
    }
}
