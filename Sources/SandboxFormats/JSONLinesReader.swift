#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SandboxCore

/// Reads a JSON Lines export: one JSON object per line, its keys as columns.
///
/// Values must be scalars: strings (with every JSON escape, surrogate pairs included), numbers
/// (kept as their literal text so no precision is lost), `true`/`false`, or `null` (read as "",
/// like an absent key). Anything else rejects that line only.
///
/// A file has at most `maxColumns` distinct keys; a line bringing one more is rejected. Every row
/// is as wide as the keys seen so far, so without a bound a file giving each line a key of its
/// own made n rows of up to n values: quadratic work (16,000 such lines took minutes).
public final class JSONLinesReader: RowReader {
    /// Real exports have a few dozen columns (docs/inbox-contract.md); this leaves room for a
    /// platform's own extra columns, which are ignored.
    public static let defaultMaxColumns = 256
    /// Keys in the order they were first seen.
    public private(set) var columns: [String] = []

    private var columnKeys: [[UInt8]] = []
    private var columnIndex: [String: Int] = [:]
    private let buffer: TextBuffer
    private let maxRecordBytes: Int
    private let maxColumns: Int
    private var nextLine = 1
    /// Column index and value of each key of the line being parsed.
    private var pairs: [(Int, String)] = []
    /// `seen[k] == generation` when column k already had a value in this line.
    private var seen: [UInt32] = []
    private var generation: UInt32 = 0
    /// Unescaped bytes of the last string that had escapes.
    private var scratch: [UInt8] = []

    public convenience init(source: ByteSource, encoding: TextEncoding = .utf8,
                            chunkSize: Int = 256 * 1024, maxRecordBytes: Int = 1 << 20,
                            maxColumns: Int = JSONLinesReader.defaultMaxColumns) {
        let text = DecodedText(source: source, encoding: encoding, chunkSize: chunkSize)
        self.init(buffer: TextBuffer(text: text, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes),
                  maxRecordBytes: maxRecordBytes, maxColumns: maxColumns)
    }

    init(buffer: TextBuffer, maxRecordBytes: Int, maxColumns: Int = JSONLinesReader.defaultMaxColumns) {
        self.buffer = buffer
        self.maxRecordBytes = maxRecordBytes
        self.maxColumns = maxColumns
        scratch.reserveCapacity(256)
    }

    public func next() throws(UnreadableFile) -> Result<RawRow, MalformedRow>? {
        do {
            return try nextRecord()
        } catch {
            throw UnreadableFile(error.reason, line: error.line ?? nextLine)
        }
    }

    private func nextRecord() throws(UnreadableFile) -> Result<RawRow, MalformedRow>? {
        while true {
            guard let found = try nextPhysicalLine() else { return nil }
            let (lineNo, s, e) = found
            if s < 0 {
                return .failure(MalformedRow(line: lineNo, reason: "line longer than \(maxRecordBytes) bytes; check the export"))
            }
            if buffer.hadInvalidText(from: s, to: e) {
                return .failure(MalformedRow(line: lineNo, reason: "bytes that are not valid \(buffer.text.encodingName) text (shown as \u{FFFD}); write the file as UTF-8"))
            }
            let knownColumns = columns.count
            do {
                guard try parseObject(from: s, to: e) else { continue }  // blank line
            } catch {
                forgetColumns(from: knownColumns)
                return .failure(MalformedRow(line: lineNo, column: error.key,
                                             reason: error.key == nil ? describe(error, line: lineNo, lineStart: s, lineEnd: e) : error.message))
            }
            var values = [String](repeating: "", count: columns.count)
            for (index, value) in pairs { values[index] = value }
            return .success(RawRow(line: lineNo, values: values))
        }
    }

    // MARK: Lines

    /// The next line as (line number, start, end without the LF); start -1 for a line too long.
    private func nextPhysicalLine() throws(UnreadableFile) -> (Int, Int, Int)? {
        while true {
            let s = buffer.start
            let p = buffer.bytes
            if let hit = memchr(p + s, 0x0A, buffer.end - s) {
                let e = UnsafeMutableRawPointer(p).distance(to: hit)
                buffer.start = e + 1
                defer { nextLine += 1 }
                return (nextLine, s, e)
            }
            if buffer.atEnd {
                if s == buffer.end { return nil }
                buffer.start = buffer.end
                defer { nextLine += 1 }
                return (nextLine, s, buffer.end)
            }
            if buffer.end - s >= maxRecordBytes {
                let lineNo = nextLine
                try skipLine()
                return (lineNo, -1, -1)
            }
            _ = try buffer.refill(keepingFrom: s)
        }
    }

    private func skipLine() throws(UnreadableFile) {
        while true {
            let s = buffer.start
            if let hit = memchr(buffer.bytes + s, 0x0A, buffer.end - s) {
                let e = UnsafeMutableRawPointer(buffer.bytes).distance(to: hit)
                _ = buffer.hadInvalidText(from: s, to: e + 1)
                buffer.start = e + 1
                nextLine += 1
                return
            }
            _ = buffer.hadInvalidText(from: s, to: buffer.end)
            buffer.start = buffer.end
            if try !buffer.refill(keepingFrom: buffer.end) {
                nextLine += 1
                return
            }
        }
    }

    // MARK: JSON

    struct SyntaxError: Error {
        var position: Int
        var message: String
        var key: String?
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// Parses one line into `pairs`; false for a blank line.
    private func parseObject(from s: Int, to e: Int) throws(SyntaxError) -> Bool {
        let p = buffer.bytes
        var i = s
        while i < e && JSONLinesReader.isSpace(p[i]) { i += 1 }
        if i == e { return false }
        // Locals, not stored properties, in the loop: those cost an exclusivity check each.
        var pairs: [(Int, String)] = []
        var seen: [UInt32] = []
        swap(&pairs, &self.pairs)
        swap(&seen, &self.seen)
        defer {
            swap(&pairs, &self.pairs)
            swap(&seen, &self.seen)
        }
        pairs.removeAll(keepingCapacity: true)
        generation &+= 1
        if generation == 0 { for k in seen.indices { seen[k] = 0 }; generation = 1 }
        let generation = self.generation
        guard p[i] == UInt8(ascii: "{") else {
            throw SyntaxError(position: i, message: "expected '{': each line must be one JSON object")
        }
        i += 1
        skipSpace(&i, e)
        if i < e && p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            var ordinal = 0
            while true {
                guard i < e && p[i] == UInt8(ascii: "\"") else {
                    throw SyntaxError(position: i, message: "expected a key in double quotes")
                }
                let keyAt = i
                let key = try parseString(&i, e)
                let index = try resolveColumn(key, p: p, ordinal: ordinal, at: keyAt)
                if index == seen.count { seen.append(0) }
                skipSpace(&i, e)
                guard i < e && p[i] == UInt8(ascii: ":") else {
                    throw SyntaxError(position: i, message: "expected ':' after the key")
                }
                i += 1
                skipSpace(&i, e)
                let value = try parseValue(&i, e, column: index)
                if seen[index] == generation {
                    throw SyntaxError(position: i, message: "key \"\(columns[index])\" appears twice in this object; keep one", key: columns[index])
                }
                seen[index] = generation
                pairs.append((index, value))
                ordinal += 1
                skipSpace(&i, e)
                if i < e && p[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace(&i, e)
                    continue
                }
                if i < e && p[i] == UInt8(ascii: "}") { i += 1; break }
                throw SyntaxError(position: i, message: "expected ',' or '}'")
            }
        }
        skipSpace(&i, e)
        if i < e { throw SyntaxError(position: i, message: "expected the end of the line after the object") }
        return true
    }

    @inline(__always)
    private func skipSpace(_ i: inout Int, _ e: Int) {
        let p = buffer.bytes
        while i < e && JSONLinesReader.isSpace(p[i]) { i += 1 }
    }

    /// A parsed string: its bytes in the window (no escapes) or in `scratch` (escaped).
    private struct StringBytes { var start: Int; var end: Int; var escaped: Bool }

    private func parseString(_ i: inout Int, _ e: Int) throws(SyntaxError) -> StringBytes {
        let p = buffer.bytes
        i += 1
        let start = i
        while i < e {
            while i + 8 <= e {
                let m = ByteScan.match(p + i, 0x22, 0x5C, 0x22)  // '"' or '\\'
                if m != 0 { i += m.trailingZeroBitCount >> 3; break }
                i += 8
            }
            guard i < e else { break }
            let c = p[i]
            if c == UInt8(ascii: "\"") { defer { i += 1 }; return StringBytes(start: start, end: i, escaped: false) }
            if c == UInt8(ascii: "\\") { break }
            i += 1
        }
        if i == e { throw SyntaxError(position: start - 1, message: "string is not closed (missing '\"')") }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        // Escapes are the house's one reader's (`JSONString`); raw control characters are kept,
        // as an export's text always was.
        do throws(JSONString.Failure) {
            try JSONString.decodeEscaped(p, &i, e, into: &scratch, refusingControlCharacters: false)
        } catch {
            throw SyntaxError(position: error.kind == .unclosed ? start - 1 : error.at, message: error.message)
        }
        return StringBytes(start: start, end: i - 1, escaped: true)
    }

    private func text(of s: StringBytes) -> String {
        if s.escaped { return String(decoding: scratch, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(start: buffer.bytes + s.start, count: s.end - s.start), as: UTF8.self)
    }

    /// The column of a key: usually the same position as in the previous lines, so that is tried
    /// first with a byte compare before the dictionary. A new key past `maxColumns` rejects the line.
    private func resolveColumn(_ key: StringBytes, p: UnsafeMutablePointer<UInt8>, ordinal: Int, at position: Int) throws(SyntaxError) -> Int {
        if !key.escaped && ordinal < columnKeys.count {
            let n = key.end - key.start
            let same = columnKeys[ordinal].withUnsafeBufferPointer { known in
                known.count == n && memcmp(known.baseAddress!, p + key.start, n) == 0
            }
            if same { return ordinal }
        }
        let name = text(of: key)
        if let index = columnIndex[name] { return index }
        guard columns.count < maxColumns else {
            throw SyntaxError(position: position, message: "key \"\(name.prefix(64))\" would be key number \(maxColumns + 1) of this file; "
                              + "a file may use at most \(maxColumns) distinct keys — keep to the export's columns (docs/inbox-contract.md)",
                              key: String(name.prefix(64)))
        }
        let index = columns.count
        columns.append(name)
        columnKeys.append(Array(name.utf8))
        columnIndex[name] = index
        return index
    }

    /// Keys first seen in a rejected line do not become columns.
    private func forgetColumns(from count: Int) {
        while columns.count > count {
            columnIndex[columns.removeLast()] = nil
            columnKeys.removeLast()
            seen.removeLast()
        }
    }

    private func parseValue(_ i: inout Int, _ e: Int, column: Int) throws(SyntaxError) -> String {
        let p = buffer.bytes
        guard i < e else { throw SyntaxError(position: i, message: "expected a value") }
        switch p[i] {
        case UInt8(ascii: "\""):
            return text(of: try parseString(&i, e))
        case UInt8(ascii: "-"), 0x30...0x39:
            return try parseNumber(&i, e)
        case UInt8(ascii: "t"):
            try literal("true", &i, e)
            return "true"
        case UInt8(ascii: "f"):
            try literal("false", &i, e)
            return "false"
        case UInt8(ascii: "n"):
            try literal("null", &i, e)
            return ""
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw SyntaxError(position: i, message: "value must be a string, number, boolean or null", key: columns[column])
        default:
            throw SyntaxError(position: i, message: "expected a value (string, number, true, false or null)")
        }
    }

    private func literal(_ word: StaticString, _ i: inout Int, _ e: Int) throws(SyntaxError) {
        let p = buffer.bytes
        let n = word.utf8CodeUnitCount
        guard i + n <= e, memcmp(p + i, word.utf8Start, n) == 0 else {
            throw SyntaxError(position: i, message: "expected a value (string, number, true, false or null)")
        }
        i += n
    }

    private func parseNumber(_ i: inout Int, _ e: Int) throws(SyntaxError) -> String {
        let p = buffer.bytes
        let start = i
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < e && p[k] >= 0x30 && p[k] <= 0x39 }
        if p[i] == UInt8(ascii: "-") { i += 1 }
        if i < e && p[i] == 0x30 {
            i += 1
        } else if isDigit(i) {
            while isDigit(i) { i += 1 }
        } else {
            throw SyntaxError(position: i, message: "expected a digit in the number")
        }
        if i < e && p[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw SyntaxError(position: i, message: "expected a digit after '.' in the number") }
            while isDigit(i) { i += 1 }
        }
        if i < e && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < e && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { throw SyntaxError(position: i, message: "expected a digit in the number's exponent") }
            while isDigit(i) { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    /// "line 7, column 15: expected ',' or '}', found 'x'", counting characters, not bytes, from 1.
    private func describe(_ error: SyntaxError, line: Int, lineStart: Int, lineEnd: Int) -> String {
        let p = buffer.bytes
        var column = 1
        var k = lineStart
        while k < error.position && k < lineEnd {
            if p[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        var found = "end of line"
        if error.position < lineEnd {
            var n = 1
            while error.position + n < lineEnd && p[error.position + n] & 0xC0 == 0x80 { n += 1 }
            found = "'" + String(decoding: UnsafeBufferPointer(start: p + error.position, count: n), as: UTF8.self) + "'"
        }
        return "line \(line), column \(column): \(error.message), found \(found)"
    }
}
