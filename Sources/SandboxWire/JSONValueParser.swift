import Glibc
import SandboxCore

/// A byte-level JSON parser for `JSONValue` (its strings' escapes are `JSONString`'s): feed intake parses every line of every batch, and
/// Foundation's `JSONDecoder` through `Codable` took half of the regulator's CPU there
/// (docs/benchmarks.md). Whole numbers that fit Int64 become `.int`, others `.double`, as the
/// Codable path did; nesting is bounded so no input can exhaust the stack.
public struct JSONValueParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// Set when a `\u` escape was half a surrogate pair: the one failure worth naming, since such
    /// text is JSON to a lax reader yet no Unicode string (stored, it read back as null).
    private var loneSurrogate = false
    static let maxDepth = 64

    /// Why `parseObject` refused a line, for the rejected line's reason.
    public static let loneSurrogateReason = "a \\u escape is half a surrogate pair (\\uD800-\\uDFFF without its partner), which is no "
        + "Unicode text; send the character itself, or both halves of its pair"

    /// nil when the bytes are not exactly one JSON value (whitespace around it allowed).
    public static func parse(_ input: some Collection<UInt8>) -> JSONValue? {
        if let value = input.withContiguousStorageIfAvailable({ parse($0) }) { return value }
        return Array(input).withUnsafeBufferPointer { parse($0) }
    }

    /// The same over bytes in place. Called from another module, the generic one is not
    /// specialised: copying a `String.UTF8View` into an array element by element through its
    /// witnesses was a fifth of reading a new case's evidence (issue 16, session 28).
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var p = JSONValueParser(bytes: buffer)
        guard let value = p.value(depth: 0) else { return nil }
        p.skipSpace()
        return p.i == buffer.count ? value : nil
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// One JSON object whose member `rawKey` is validated but not built: its exact bytes are
    /// returned as they are (a feed item's `data`, stored as sent). The other members are parsed.
    /// nil when the bytes are not exactly one JSON object.
    public static func parseObject(_ input: ArraySlice<UInt8>, rawKey: String) -> (fields: [String: JSONValue], raw: [UInt8]?)? {
        var loneSurrogate = false
        return parseObject(input, rawKey: rawKey, loneSurrogate: &loneSurrogate)
    }

    /// The same, also saying whether a lone surrogate escape was why it failed.
    public static func parseObject(_ input: ArraySlice<UInt8>, rawKey: String,
                            loneSurrogate: inout Bool) -> (fields: [String: JSONValue], raw: [UInt8]?)? {
        var sawLoneSurrogate = false
        defer { loneSurrogate = sawLoneSurrogate }
        return input.withContiguousStorageIfAvailable { buffer -> (fields: [String: JSONValue], raw: [UInt8]?)? in
            var p = JSONValueParser(bytes: buffer)
            defer { sawLoneSurrogate = p.loneSurrogate }
            p.skipSpace()
            guard p.i < buffer.count, buffer[p.i] == 0x7B else { return nil }
            p.i += 1
            var fields: [String: JSONValue] = [:]
            var raw: [UInt8]?
            p.skipSpace()
            if p.i < buffer.count, buffer[p.i] == 0x7D {
                p.i += 1
            } else {
                while true {
                    p.skipSpace()
                    guard p.i < buffer.count, buffer[p.i] == 0x22, let key = p.string() else { return nil }
                    p.skipSpace()
                    guard p.i < buffer.count, buffer[p.i] == 0x3A else { return nil }
                    p.i += 1
                    if key == rawKey {
                        p.skipSpace()
                        let start = p.i
                        guard p.skipValue(depth: 1) else { return nil }
                        raw = Array(buffer[start..<p.i])
                    } else {
                        guard let v = p.value(depth: 1) else { return nil }
                        fields[key] = v
                    }
                    p.skipSpace()
                    guard p.i < buffer.count else { return nil }
                    if buffer[p.i] == 0x2C { p.i += 1; continue }
                    if buffer[p.i] == 0x7D { p.i += 1; break }
                    return nil
                }
            }
            p.skipSpace()
            return p.i == buffer.count ? (fields, raw) : nil
        } ?? parseObject(ArraySlice(Array(input)), rawKey: rawKey, loneSurrogate: &sawLoneSurrogate)
    }

    /// Checks one value and steps over it, building nothing; the same grammar as `value`.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        skipSpace()
        guard i < bytes.count else { return false }
        switch bytes[i] {
        case 0x7B:
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; return true }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x22, skipString() else { return false }
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x3A else { return false }
                i += 1
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x7D { i += 1; return true }
                return false
            }
        case 0x5B:
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; return true }
            while true {
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x5D { i += 1; return true }
                return false
            }
        case 0x22: return skipString()
        case 0x74: return literal("true", .null) != nil
        case 0x66: return literal("false", .null) != nil
        case 0x6E: return literal("null", .null) != nil
        default: return number() != nil
        }
    }

    /// At an opening quote: steps over a valid string (escapes, no raw control characters,
    /// well-formed UTF-8) without building it.
    private mutating func skipString() -> Bool {
        i += 1
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x22 { i += 1; return true }
            if c < 0x20 { return false }
            if c == 0x5C {
                // The same escapes as the full parser: the raw bytes are stored, and must read back.
                guard escape() != nil else { return false }
                continue
            }
            if c < 0x80 { i += 1; continue }
            guard let n = utf8SequenceLength(at: i) else { return false }
            i += n
        }
        return false
    }

    /// The length of the well-formed UTF-8 sequence at `k`, nil when it is not one.
    private func utf8SequenceLength(at k: Int) -> Int? {
        let c = bytes[k]
        func continuation(_ j: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            k + j < bytes.count && range.contains(bytes[k + j])
        }
        switch c {
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return nil }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return nil }
        i += n
        return value
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard depth <= Self.maxDepth else { return nil }
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case 0x7B: return object(depth: depth)
        case 0x5B: return array(depth: depth)
        case 0x22: return string().map(JSONValue.string)
        case 0x74: return literal("true", .bool(true))
        case 0x66: return literal("false", .bool(false))
        case 0x6E: return literal("null", .null)
        default: return number()
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        i += 1
        var result: [String: JSONValue] = [:]
        skipSpace()
        if i < bytes.count, bytes[i] == 0x7D { i += 1; return .object(result) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x22, let key = string() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x3A else { return nil }
            i += 1
            guard let v = value(depth: depth + 1) else { return nil }
            result[key] = v
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x2C { i += 1; continue }
            if bytes[i] == 0x7D { i += 1; return .object(result) }
            return nil
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        i += 1
        var result: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == 0x5D { i += 1; return .array(result) }
        while true {
            guard let v = value(depth: depth + 1) else { return nil }
            result.append(v)
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x2C { i += 1; continue }
            if bytes[i] == 0x5D { i += 1; return .array(result) }
            return nil
        }
    }

    /// At a backslash: the escape's scalar value (`JSONString`, the house's one reader of
    /// escapes), nil when it is none; half a surrogate pair also sets `loneSurrogate`.
    private mutating func escape() -> UInt32? {
        do throws(JSONString.Failure) {
            return try JSONString.unescape(bytes.baseAddress!, &i, bytes.count)
        } catch {
            if error.isHalfASurrogatePair { loneSurrogate = true }
            return nil
        }
    }

    /// At an opening quote; nil on a bad escape, a raw control character, invalid UTF-8 or no end.
    private mutating func string() -> String? {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == 0x22 {
            defer { i += 1 }
            return Self.text(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        }
        var out = Array(bytes[start..<i])
        do throws(JSONString.Failure) {
            try JSONString.decodeEscaped(bytes.baseAddress!, &i, bytes.count, into: &out, refusingControlCharacters: true)
        } catch {
            if error.isHalfASurrogatePair { loneSurrogate = true }
            return nil
        }
        return out.withUnsafeBufferPointer { Self.text($0) }
    }

    /// The bytes as a string; nil when they are not UTF-8. `String(validating:as:)` is generic and
    /// not specialised here: it looked up its type metadata for every string, twice the time of
    /// decoding (which replaces what is not UTF-8) and comparing the bytes, which only valid input
    /// passes (a replacement character's bytes never stand where invalid bytes stood).
    public static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ? text : nil
    }

    private mutating func number() -> JSONValue? {
        let start = i
        var integral = true
        if i < bytes.count, bytes[i] == 0x2D { i += 1 }
        let digitsStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        guard i > digitsStart else { return nil }
        // JSON forbids leading zeros ("01").
        if bytes[digitsStart] == 0x30 && i - digitsStart > 1 { return nil }
        if i < bytes.count, bytes[i] == 0x2E {
            integral = false
            i += 1
            let f = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > f else { return nil }
        }
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            integral = false
            i += 1
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
            let e = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > e else { return nil }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if integral, let n = Int64(text) { return .int(n) }
        guard let d = Double(text), d.isFinite else { return nil }
        // Like JSONDecoder: a whole number written with a fraction or exponent (2.0e3) that fits
        // Int64 is an integer.
        if d == d.rounded(), d >= -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_808e18 {
            return .int(Int64(d))
        }
        return .double(d)
    }
}
