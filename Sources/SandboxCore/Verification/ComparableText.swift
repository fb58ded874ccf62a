/// Text as compared between sources: spaces dropped, full-width ASCII folded, letters upper-cased,
/// so `成都某某（食品）有限公司` equals `成都某某(食品)有限公司` and case or spacing never
/// raises a mismatch finding on its own.
enum ComparableText {
    static func key(_ text: String) -> String {
        // Folded from the text's UTF-8 into bytes, then one string: appended scalar by scalar to a
        // `UnicodeScalarView`, a key of an address took about 8,000 instructions (issue 16,
        // session 46). Folding never lengthens a scalar's encoding, so the text's length is room
        // enough.
        text.withUTF8Bytes { source in
            var out: [UInt8] = []
            out.reserveCapacity(source.count)
            var i = 0
            while let v = nextFolded(source, &i) { JSONString.appendUTF8(v, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// True when both are present and differ after folding; absent data never mismatches.
    static func differ(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        // Most compared values are byte-identical: skip building folded keys for them.
        if FieldText.sameBytes(a, b) { return false }
        // Most of the rest differ only in what folding drops (`（` against `(`): told by walking
        // both texts' scalars, without building a key of each (two strings made for every name
        // and address compared were 8 % of the verifier's instructions, issue 16, session 46).
        // Only texts whose folded scalars differ build their keys, which String compares under
        // canonical equivalence as before (`é` against `e` and its combining accent).
        if foldedScalarsEqual(a, b) { return false }
        return key(a) != key(b)
    }

    /// A scalar as folding compares it; nil for one it drops.
    @inline(__always) private static func folded(_ scalar: UInt32) -> UInt32? {
        var v = scalar
        if v == 0x3000 || v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0xA0 { return nil }
        if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }  // full-width ASCII → ASCII
        if v >= 0x61 && v <= 0x7A { v -= 32 }
        return v
    }

    /// Whether both texts' folded scalars are the same sequence.
    private static func foldedScalarsEqual(_ a: String, _ b: String) -> Bool {
        a.withUTF8Bytes { pa in
            b.withUTF8Bytes { pb in
                var i = 0, j = 0
                while true {
                    let x = nextFolded(pa, &i), y = nextFolded(pb, &j)
                    if x != y { return false }
                    if x == nil { return true }
                }
            }
        }
    }

    /// The next folded scalar of valid UTF-8 (a String's) from `i`, which it moves past it; nil at
    /// the end.
    @inline(__always) private static func nextFolded(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32? {
        while i < p.count {
            let b0 = UInt32(p[i])
            let v: UInt32
            if b0 < 0x80 {
                v = b0
                i += 1
            } else if b0 < 0xE0 {
                v = (b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
                i += 2
            } else if b0 < 0xF0 {
                v = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
                i += 3
            } else {
                v = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
                i += 4
            }
            if let f = folded(v) { return f }
        }
        return nil
    }
}
