/// Maps UTF-8 keys (merchant ids, USCCs) to small integers without making a `String` per
/// lookup: the policy loader joins millions of rows by key straight from SQLite's buffers
/// (docs/policy.md §13.1). Open addressing over FNV-1a hashes; keys live in one byte buffer.
struct ByteKeyTable {
    private var slots: [Int32]           // index into entries, -1 empty
    private var mask: Int
    private var starts: [Int32] = []     // entry → start in bytes
    private var lengths: [Int32] = []
    private var values: [Int32] = []
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        bytes.reserveCapacity(capacity * 12)
    }

    var count: Int { values.count }

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

    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int) {
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

    mutating func insert(_ key: String, value: Int) {
        var k = key
        k.withUTF8 { insert($0, value: value) }
    }

    func value(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(key) & mask
        while slots[slot] >= 0 {
            let e = Int(slots[slot])
            if equals(e, key) { return Int(values[e]) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    func value(_ key: String) -> Int? {
        var k = key
        return k.withUTF8 { value($0) }
    }
}

/// Decides a coded value from its stored bytes (the English raw value), without a `String`.
struct CodeLookup {
    private let names: [[UInt8]]
    init(names: [String]) { self.names = names.map { Array($0.utf8) } }

    func code(_ text: UnsafeBufferPointer<UInt8>?) -> UInt8? {
        guard let text else { return nil }
        for (i, n) in names.enumerated() where n.count == text.count {
            var same = true
            for j in 0..<n.count where n[j] != text[j] { same = false; break }
            if same { return UInt8(i) }
        }
        return nil
    }
}
