/// Text as compared between sources: spaces dropped, full-width ASCII folded, letters upper-cased,
/// so `成都某某（食品）有限公司` equals `成都某某(食品)有限公司` and case or spacing never
/// raises a mismatch finding on its own.
enum ComparableText {
    static func key(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            var v = s.value
            if v == 0x3000 || v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0xA0 { continue }
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }  // full-width ASCII → ASCII
            if v >= 0x61 && v <= 0x7A { v -= 32 }
            out.append(Unicode.Scalar(v)!)
        }
        return String(out)
    }

    /// True when both are present and differ after folding; absent data never mismatches.
    static func differ(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        // Most compared values are byte-identical: skip building folded keys for them.
        if FieldText.sameBytes(a, b) { return false }
        return key(a) != key(b)
    }
}
