/// A 64-bit hash of a record's canonical bytes: FNV-1a for single bytes, and for text a
/// multiply-xorshift mix over 8-byte words (eight times fewer steps than byte-wise FNV; text is
/// nearly all of a row).
///
/// Used only to tell whether a stored record changed (compared per key, never across keys),
/// so accidental collisions (≈2⁻⁶⁴ per changed record) are the only risk and no adversary gains
/// from one: a platform can only hide a change of its own data from itself. It is cheap enough
/// to run on every row of a 469,000-row export.
public struct ContentHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        // This runs for every field of every row.
        var v = value
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { v = ContentHash.mix(v, $0) }
        if done == nil { v = Array(text.utf8).withUnsafeBufferPointer { ContentHash.mix(v, $0) } }
        value = v
        add(byte: 0x1f)  // unit separator: ("ab","c") and ("a","bc") differ
    }

    /// Folds bytes into the state 8 at a time; the length goes in first, so runs of different
    /// lengths never align by accident.
    static func mix(_ seed: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9e37_79b9_7f4a_7c15)
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 29)
    }

    public mutating func add(_ text: String?) {
        if let text { add(text) } else { add(byte: 0x1e) }
    }

    public mutating func add<T: BinaryInteger>(_ n: T?) { add(n.map { String($0) }) }

    public mutating func add(byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }

    /// Folds raw bytes in, as `add(_:String)` does text (without its separator).
    public mutating func add(bytes: UnsafeRawBufferPointer) {
        value = ContentHash.mix(value, bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// As SQLite stores it (signed 64-bit).
    public var signed: Int64 { Int64(bitPattern: value) }
}
