/// JSON string text both ways, once for the whole house: the agent's report and feed lines, the
/// regulator's stored JSON (`JSONValue.jsonText`), the link's byte-level parser
/// (`JSONValueParser`) and the platforms' JSON Lines exports (`JSONLinesReader`). Before issue 16
/// each had its own escapes; the readers already agreed, the writers did not (the agent wrote DEL
/// as `\u007f` and 0x08/0x0C as `\u0008`/`\u000c`, JSONEncoder's way is DEL as it is and `\b`/`\f`).
///
/// Writing follows JSONEncoder (`JSONValueTextTests` compares the two): `"` `\` and the C0 controls
/// are escaped, `\n \r \t \b \f` by name, the rest as `\u00xx`; `/`, DEL and all other UTF-8 pass
/// through, so Chinese text stays readable in a report line and in sqlite3.
///
/// Reading is byte-level and `@inlinable`: intake and ingest parse every string of every line
/// with it, across module boundaries. The callers keep their own fast paths (a string without a
/// backslash is a slice of the input) and call `decodeEscaped` at the first backslash.
public enum JSONString {
    /// Why a string's text is not JSON, and where (a byte offset in the caller's buffer).
    public struct Failure: Error, Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            /// No closing quote before the end (a lone backslash at the end included).
            case unclosed
            /// A raw byte below 0x20, refused where the caller asks for strict JSON.
            case controlCharacter
            /// `\q`: the byte after the backslash.
            case unknownEscape(UInt8)
            case needsFourHexDigits
            /// `\uDC00`–`\uDFFF` with no high half before it.
            case loneLowSurrogate
            /// `\uD800`–`\uDBFF` not followed by a `\u` escape.
            case loneHighSurrogate
            /// `\uD800`–`\uDBFF` followed by a `\u` escape that is not `\uDC00`–`\uDFFF`.
            case notALowSurrogate
        }

        public var kind: Kind
        /// The offending escape's backslash (the low half's, for the low half), the control
        /// character, or the end for `unclosed`.
        public var at: Int

        @inlinable public init(_ kind: Kind, at: Int) { self.kind = kind; self.at = at }

        /// Half of a surrogate pair: JSON to a lax reader, yet no Unicode text.
        public var isHalfASurrogatePair: Bool {
            switch kind {
            case .loneLowSurrogate, .loneHighSurrogate, .notALowSurrogate: return true
            default: return false
            }
        }

        /// What an operator reads in a rejected row.
        public var message: String {
            switch kind {
            case .unclosed: return "string is not closed (missing '\"')"
            case .controlCharacter: return "a control character (below U+0020) in a string must be escaped"
            case .unknownEscape(let x): return "unknown escape '\\\(Unicode.Scalar(x))' in a string"
            case .needsFourHexDigits: return "\\u escape needs four hex digits"
            case .loneLowSurrogate: return "\\u escape is a lone low surrogate; a high surrogate \\uD800-\\uDBFF must come first"
            case .loneHighSurrogate: return "\\u escape is a lone high surrogate; a low surrogate \\uDC00-\\uDFFF must follow"
            case .notALowSurrogate: return "\\u escape after a high surrogate must be a low surrogate \\uDC00-\\uDFFF"
            }
        }
    }

    // MARK: Reading

    /// `p[i]` is a backslash: reads one escape (both halves of a surrogate pair), moves `i` past
    /// it and returns the Unicode scalar value it stands for.
    @inlinable
    public static func unescape(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) throws(Failure) -> UInt32 {
        let escapeAt = i
        guard i + 1 < end else { throw Failure(.unclosed, at: end) }
        let x = p[i + 1]
        i += 2
        switch x {
        case 0x22, 0x5C, 0x2F: return UInt32(x)  // " \ /
        case 0x62: return 0x08  // b
        case 0x66: return 0x0C  // f
        case 0x6E: return 0x0A  // n
        case 0x72: return 0x0D  // r
        case 0x74: return 0x09  // t
        case 0x75:  // u
            let unit = try hex4(p, &i, end, escapeAt: escapeAt)
            if (0xDC00...0xDFFF).contains(unit) { throw Failure(.loneLowSurrogate, at: escapeAt) }
            guard (0xD800...0xDBFF).contains(unit) else { return unit }
            guard i + 1 < end, p[i] == 0x5C, p[i + 1] == 0x75 else { throw Failure(.loneHighSurrogate, at: escapeAt) }
            let lowAt = i
            i += 2
            let low = try hex4(p, &i, end, escapeAt: lowAt)
            guard (0xDC00...0xDFFF).contains(low) else { throw Failure(.notALowSurrogate, at: lowAt) }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        default:
            throw Failure(.unknownEscape(x), at: escapeAt)
        }
    }

    @inlinable
    static func hex4(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, escapeAt: Int) throws(Failure) -> UInt32 {
        guard i + 4 <= end else { throw Failure(.needsFourHexDigits, at: escapeAt) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw Failure(.needsFourHexDigits, at: escapeAt)
            }
            v = v << 4 | UInt32(d)
        }
        i += 4
        return v
    }

    /// The rest of a string from its first backslash (`p[i]`) to its closing quote, decoded into
    /// `out`; `i` ends past the quote. Raw bytes below 0x20 are refused when
    /// `refusingControlCharacters` (the link's strict JSON) and kept otherwise (a platform's
    /// export, read leniently). UTF-8 is not checked here: the caller's text already is, or is
    /// checked once whole.
    @inlinable
    public static func decodeEscaped(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, into out: inout [UInt8],
                                     refusingControlCharacters: Bool) throws(Failure) {
        while i < end {
            let c = p[i]
            if c == 0x22 { i += 1; return }
            if c == 0x5C {
                let scalar = try unescape(p, &i, end)
                appendUTF8(scalar, to: &out)
                continue
            }
            if c < 0x20 && refusingControlCharacters { throw Failure(.controlCharacter, at: i) }
            out.append(c)
            i += 1
        }
        throw Failure(.unclosed, at: end)
    }

    /// A Unicode scalar value (not a surrogate) as UTF-8.
    @inlinable
    public static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case ..<0x80: out.append(UInt8(v))
        case ..<0x800:
            out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        }
    }

    // MARK: Writing

    /// Appends `text` as a JSON string, quotes included.
    @inlinable
    public static func append(_ text: String, to out: inout [UInt8]) {
        text.withUTF8Bytes { append(utf8: $0, to: &out) }
    }

    /// Appends UTF-8 bytes as a JSON string, quotes included (SQLite's text without a `String`).
    @inlinable
    public static func append(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        // Most values need no escape and are copied in one go.
        if !anyNeedsEscape(bytes) {
            out.append(contentsOf: bytes)
        } else {
            for b in bytes {
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0x08: out.append(0x5C); out.append(0x62)
                case 0x0C: out.append(0x5C); out.append(0x66)
                case 0..<0x20:
                    out.append(0x5C); out.append(0x75); out.append(0x30); out.append(0x30)
                    out.append(hexDigit(b >> 4)); out.append(hexDigit(b & 0x0F))
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }

    /// `text` as a JSON string, quotes included.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C }

    /// Whether any byte needs an escape, eight bytes at a time: every item, audit event and
    /// outbox line of a policy pass is mostly strings that need none (issue 16, session 25). A
    /// word has a byte below 0x20 when `(w - 0x20…) & ~w & 0x80…` is not zero, and a byte equal
    /// to `c` when `w ^ c…` has a zero byte; both are exact for bytes of UTF-8 text, whose high
    /// bytes never match (their top bit is set in `w`).
    ///
    /// Sixteen bytes a step where there are sixteen, the same test lane by lane in a vector
    /// register: the byte's top bit after subtracting 0x20, or 1 from its difference with `"` or
    /// `\`, kept where the byte's own top bit is clear. Eight bytes a step, this was 5.5 % of a
    /// first policy pass's rendering instructions (issue 16, session 39). Written with wrapping
    /// arithmetic, not `.<` and `.==`: Swift 6.3 lowers those comparisons lane by lane through
    /// memory, twenty times the instructions.
    @inlinable
    public static func anyNeedsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        let raw = UnsafeRawPointer(base)
        if n >= 16 {
            let space = SIMD16<UInt8>(repeating: 0x20), quote = SIMD16<UInt8>(repeating: 0x22)
            let backslash = SIMD16<UInt8>(repeating: 0x5C), one = SIMD16<UInt8>(repeating: 1)
            let top = SIMD16<UInt8>(repeating: 0x80)
            @inline(__always) func hit(at offset: Int) -> Bool {
                let x = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                let found = ((x &- space) | ((x ^ quote) &- one) | ((x ^ backslash) &- one)) & ~x & top
                let words = unsafeBitCast(found, to: SIMD2<UInt64>.self)
                return words[0] | words[1] != 0
            }
            var i = 0
            while i + 16 <= n {
                if hit(at: i) { return true }
                i += 16
            }
            // The last sixteen bytes, overlapping some already read, for the rest.
            return i < n && hit(at: n - 16)
        }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        @inline(__always) func hit(_ w: UInt64) -> Bool {
            (w &- ones &* 0x20) & ~w & highs != 0 || hasZeroByte(w ^ (ones &* 0x22)) || hasZeroByte(w ^ (ones &* 0x5C))
        }
        if n >= 8 {
            // The first eight bytes and the last eight, which overlap below sixteen.
            return hit(raw.loadUnaligned(as: UInt64.self)) || hit(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        for i in 0..<n where needsEscape(base[i]) { return true }
        return false
    }

    @inlinable
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
