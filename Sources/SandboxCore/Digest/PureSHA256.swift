/// SHA-256 (FIPS 180-4) in plain Swift.
///
/// SandboxCore is Foundation only (no crypto dependency), yet the inspection draw must be
/// recomputable by anyone with `sha256sum`, so the draw needs the real SHA-256, not a stand-in.
/// A city draw hashes every enterprise of the population (300,000 short strings) and digests
/// its population lines (megabytes), so the blocks are compressed in place — the message is
/// never copied, the schedule lives on the stack — rather than through arrays made per block.
public enum PureSHA256 {
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let message = bytes as? [UInt8] ?? Array(bytes)
        return Self.bytes(of: message.withUnsafeBufferPointer { digest($0) })
    }

    /// The 32 bytes of a digest given as four words.
    public static func bytes(of words: (UInt64, UInt64, UInt64, UInt64)) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for w in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(shift))) }
        }
        return out
    }

    /// The digest as four big-endian 64-bit words: compared as a tuple they order as the 32
    /// bytes do, which is how the draw ranks a city's subjects without an array per hash.
    public static func digest(_ m: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            let whole = m.count / 64 * 64
            var at = 0
            while at < whole {
                compress(&h, UnsafeBufferPointer(rebasing: m[at..<at + 64]), w)
                at += 64
            }
            // The tail, the 0x80 and the length in bits, in one or two last blocks.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { room in
                let last = UnsafeMutableBufferPointer(rebasing: room[0..<(m.count - whole + 9 <= 64 ? 64 : 128)])
                last.initialize(repeating: 0)
                for i in whole..<m.count { last[i - whole] = m[i] }
                last[m.count - whole] = 0x80
                let bits = UInt64(m.count) &* 8
                for i in 0..<8 { last[last.count - 1 - i] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * i)) }
                let tail = UnsafeBufferPointer(last)
                compress(&h, UnsafeBufferPointer(rebasing: tail[0..<64]), w)
                if tail.count == 128 { compress(&h, UnsafeBufferPointer(rebasing: tail[64..<128]), w) }
            }
        }
        func word(_ hi: UInt32, _ lo: UInt32) -> UInt64 { UInt64(hi) << 32 | UInt64(lo) }
        return (word(h.0, h.1), word(h.2, h.3), word(h.4, h.5), word(h.6, h.7))
    }

    /// The digest in lowercase hex, as `sha256sum` prints it.
    public static func hexDigest(_ bytes: some Sequence<UInt8>) -> String {
        hex(hash(bytes))
    }

    /// Bytes in lowercase hex, as `sha256sum` prints a digest (`Hex.encode`, the one spelling).
    public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    /// One 64-byte block into the state; `w` is the message schedule's room (64 words).
    private static func compress(_ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
                                 _ block: UnsafeBufferPointer<UInt8>, _ w: UnsafeMutableBufferPointer<UInt32>) {
        for i in 0..<16 {
            let j = i * 4
            w[i] = UInt32(block[j]) << 24 | UInt32(block[j + 1]) << 16 | UInt32(block[j + 2]) << 8 | UInt32(block[j + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        k.withUnsafeBufferPointer { k in
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
