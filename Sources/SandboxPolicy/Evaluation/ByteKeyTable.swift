/// Maps UTF-8 keys (merchant ids, USCCs) to small integers without making a `String` per
/// lookup: the policy loader joins millions of rows by key straight from SQLite's buffers
/// (docs/policy.md §13.1). Open addressing over FNV-1a hashes; keys live in one byte buffer.
/// It is also the pass's merchant id → row index: a `[String: Int]` of 469,000 ids was 25 MB
/// beside the 14 MB of this table (issue 16).
public struct ByteKeyTable: Sendable {
    private var slots: [Int32]           // index into entries, -1 empty
    private var mask: Int
    private var starts: [Int32] = []     // entry → start in bytes
    private var lengths: [Int32] = []
    private var values: [Int32] = []
    private var bytes: [UInt8] = []

    public init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        bytes.reserveCapacity(capacity * 12)
    }

    public var count: Int { values.count }

    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always) private func equals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(lengths[entry]) == key.count else { return false }
        let start = Int(starts[entry])
        for i in 0..<key.count where bytes[start + i] != key[i] { return false }
        return true
    }

    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int) {
        var slot = Self.hash(key) & mask
        while slots[slot] >= 0 {
            let e = Int(slots[slot])
            if equals(e, key) { values[e] = Int32(value); return }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(values.count)
        starts.append(Int32(bytes.count))
        lengths.append(Int32(key.count))
        bytes.append(contentsOf: key)
        values.append(Int32(value))
    }

    public mutating func insert(_ key: String, value: Int) {
        var k = key
        k.withUTF8 { insert($0, value: value) }
    }

    public func value(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(key) & mask
        while slots[slot] >= 0 {
            let e = Int(slots[slot])
            if equals(e, key) { return Int(values[e]) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    public func value(_ key: String) -> Int? {
        var k = key
        return k.withUTF8 { value($0) }
    }

    /// The row of a merchant id (`rowOf[id]`).
    public subscript(key: String) -> Int? { value(key) }

    /// Every row's id as its key (the pass builds it when it is not given one).
    public init(keys: TextColumn) {
        self.init(capacity: keys.count)
        for i in keys.indices { keys.withBytes(i) { if let k = $0 { insert(k, value: i) } } }
    }
}
