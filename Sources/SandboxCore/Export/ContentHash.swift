/// A 64-bit FNV-1a hash of a record's canonical bytes.
///
/// Used only to tell whether a stored record changed (compared per key, never across keys),
/// so accidental collisions (≈2⁻⁶⁴ per changed record) are the only risk and no adversary gains
/// from one: a platform can only hide a change of its own data from itself. It is cheap enough
/// to run on every row of a 469,000-row export.
public struct ContentHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        // A local accumulator over contiguous bytes: this runs for every field of every row.
        var v = value
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { buf in
            for b in buf { v = (v ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        if done == nil { for b in text.utf8 { v = (v ^ UInt64(b)) &* 0x100_0000_01b3 } }
        value = v
        add(byte: 0x1f)  // unit separator: ("ab","c") and ("a","bc") differ
    }

    public mutating func add(_ text: String?) {
        if let text { add(text) } else { add(byte: 0x1e) }
    }

    public mutating func add<T: BinaryInteger>(_ n: T?) { add(n.map { String($0) }) }

    public mutating func add(byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }

    /// As SQLite stores it (signed 64-bit).
    public var signed: Int64 { Int64(bitPattern: value) }
}
