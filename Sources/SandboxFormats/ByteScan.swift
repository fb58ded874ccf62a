/// Finds delimiter bytes eight at a time (SWAR): the scanners' fast path over ordinary text.
enum ByteScan {
    /// Eight bytes at `p` checked at once: the lowest set bit of the result is in the first byte
    /// equal to `a`, `b` or `c` (higher bits may be false alarms); 0 when none is there.
    @inline(__always)
    static func match(_ p: UnsafeMutablePointer<UInt8>, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt64 {
        let x = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return zeroByte(x ^ (ones &* UInt64(a))) | zeroByte(x ^ (ones &* UInt64(b))) | zeroByte(x ^ (ones &* UInt64(c)))
    }
}
