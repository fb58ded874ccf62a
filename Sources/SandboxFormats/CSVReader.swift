import SandboxCore

/// Reads an RFC 4180 CSV export row by row: a header row, then one `RawRow` per record.
///
/// Accepts what spreadsheets write: quoted fields with commas, doubled quotes and line breaks
/// inside; CRLF, LF or lone CR; blank lines; a missing final line break; a stray quote inside an
/// unquoted field (kept literally, as Excel does). A quote that never closes costs one row,
/// not the file: reading resumes on the line after the one where the record started.
public final class CSVReader: RowReader {
    public private(set) var columns: [String] = []

    private let buffer: TextBuffer
    private let maxRecordBytes: Int
    /// Physical line of the next record's first byte.
    private var line = 1
    private var spans: [FieldSpan] = []
    private var lineBreaksInRecord = 0
    public private(set) var emptyRecords = EmptyRecords(count: 0, firstLines: [])

    /// Reads the header row; throws when there is none.
    public convenience init(source: ByteSource, encoding: TextEncoding,
                            chunkSize: Int = 256 * 1024, maxRecordBytes: Int = 1 << 20) throws(UnreadableFile) {
        let text = DecodedText(source: source, encoding: encoding, chunkSize: chunkSize)
        try self.init(buffer: TextBuffer(text: text, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes),
                      maxRecordBytes: maxRecordBytes)
    }

    init(buffer: TextBuffer, maxRecordBytes: Int) throws(UnreadableFile) {
        self.buffer = buffer
        self.maxRecordBytes = maxRecordBytes
        spans.reserveCapacity(64)
        while true {
            let record: Record?
            do { record = try readRecord() } catch { throw UnreadableFile(error.reason, line: error.line ?? line) }
            switch record {
            case nil:
                throw UnreadableFile("no header row: the file holds no text; expected a first line of column names")
            case .malformed(let m)?:
                throw UnreadableFile("header row: \(m.reason)", line: m.line)
            case .fields?:
                if isBlank() { continue }
                columns = spans.map { CSVReader.trimmed(string(of: $0)) }
                return
            }
        }
    }

    public func next() throws(UnreadableFile) -> Result<RawRow, MalformedRow>? {
        do {
            return try nextRecord()
        } catch {
            throw UnreadableFile(error.reason, line: error.line ?? line)
        }
    }

    private func nextRecord() throws(UnreadableFile) -> Result<RawRow, MalformedRow>? {
        while true {
            switch try readRecord() {
            case nil: return nil
            case .malformed(let m)?: return .failure(m)
            case .fields(let recordLine)?:
                if isBlank() {
                    // A blank line is one empty field; `,,,` is a record of empty fields, which a
                    // platform should hear about (a spreadsheet's blank rows), though it loses nothing.
                    if spans.count > 1 { emptyRecords.note(line: recordLine) }
                    continue
                }
                var values = [String]()
                values.reserveCapacity(spans.count)
                for span in spans { values.append(string(of: span)) }
                return .success(RawRow(line: recordLine, values: values))
            }
        }
    }

    // MARK: Records

    private enum Record { case fields(line: Int), malformed(MalformedRow) }

    private enum Scan {
        /// A whole record; `next` is the first byte after its line break.
        case complete(next: Int, terminated: Bool)
        /// The window ends inside the record.
        case needMore(inQuotes: Bool)
        /// The file ends inside a quoted field (the `field`-th of the record).
        case unterminated(field: Int)
    }

    /// Where one field lies in the window; `kind` says how to turn its bytes into a value.
    private struct FieldSpan {
        enum Kind { case plain, quoted, messy }
        var start: Int
        var end: Int
        var kind: Kind
    }

    private func readRecord() throws(UnreadableFile) -> Record? {
        while true {
            let s = buffer.start
            if s == buffer.end {
                if try !buffer.refill(keepingFrom: s) && buffer.start == buffer.end { return nil }
                continue
            }
            switch scanRecord(from: s, end: buffer.end, atEOF: buffer.atEnd) {
            case .complete(let next, let terminated):
                let recordLine = line
                line += lineBreaksInRecord + (terminated ? 1 : 0)
                buffer.start = next
                if buffer.hadInvalidText(from: s, to: next) {
                    return .malformed(MalformedRow(
                        line: recordLine, column: columnOfInvalidText(),
                        reason: "bytes that are not valid \(buffer.text.encodingName) text (shown as \u{FFFD}); save the file as UTF-8 or GB18030"))
                }
                return .fields(line: recordLine)
            case .needMore(let inQuotes):
                if buffer.end - s >= maxRecordBytes {
                    let field = spans.count
                    let recordLine = line
                    try resynchronise(from: s)
                    return .malformed(inQuotes ? unterminated(line: recordLine, field: field, withinBytes: true)
                        : MalformedRow(line: recordLine, reason: "record longer than \(maxRecordBytes) bytes without a line break; split it or check the export"))
                }
                if try !buffer.refill(keepingFrom: s) && !buffer.atEnd {
                    throw UnreadableFile("read window full", line: line)  // capacity exceeds maxRecordBytes; not reached
                }
            case .unterminated(let field):
                let recordLine = line
                try resynchronise(from: s)
                return .malformed(unterminated(line: recordLine, field: field, withinBytes: false))
            }
        }
    }

    private func unterminated(line: Int, field: Int, withinBytes: Bool) -> MalformedRow {
        let end = withinBytes ? "within \(maxRecordBytes) bytes" : "before the end of the file"
        return MalformedRow(line: line, column: field < columns.count ? columns[field] : nil,
                            reason: "a quoted field starts on this line but its closing quote (\") is missing \(end); close the quote, and double any quote inside the value (\"\"); reading went on at the next line")
    }

    /// After a broken record: go on at the line after the one where it started.
    private func resynchronise(from s: Int) throws(UnreadableFile) {
        let startLine = line
        // Where the record began in the text: `s` counts from the window's start, which moves at
        // every refill below (found by fuzzing: a stale `s` after the window moved made a range
        // whose start passed its end, and the reader trapped on a malformed file).
        let recordStart = buffer.offset(s)
        var i = s
        while true {
            let p = buffer.bytes
            while i < buffer.end && p[i] != 0x0A && p[i] != 0x0D { i += 1 }
            if i < buffer.end {
                if p[i] == 0x0D && i + 1 == buffer.end && !buffer.atEnd {
                    // Is it CR LF? Look at the next byte first.
                    _ = try buffer.refill(keepingFrom: i)
                    i = 0
                }
                var next = i + 1
                if p[i] == 0x0D && next < buffer.end && buffer.bytes[next] == 0x0A { next += 1 }
                buffer.start = next
                break
            }
            // This line is longer than the window: drop what was seen and keep looking.
            buffer.start = buffer.end
            if try !buffer.refill(keepingFrom: buffer.end) { break }
            i = buffer.start
        }
        line = startLine + 1
        _ = buffer.hadInvalidText(from: recordStart - buffer.offset(0), to: buffer.start)
    }

    /// Splits the record at `s` into `spans`, counting the line breaks inside quoted fields.
    private func scanRecord(from s: Int, end: Int, atEOF: Bool) -> Scan {
        let p = buffer.bytes
        let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        // Work on locals: stored properties of a class cost an exclusivity check per access.
        var spans: [FieldSpan] = []
        swap(&spans, &self.spans)
        spans.removeAll(keepingCapacity: true)
        var lineBreaksInRecord = 0
        defer {
            swap(&spans, &self.spans)
            self.lineBreaksInRecord = lineBreaksInRecord
        }
        var i = s
        while true {
            let fieldStart = i
            if i < end && p[i] == quote {
                i += 1
                var escaped = false
                while true {
                    while i < end {
                        let c = p[i]
                        if c == quote { break }
                        if c == lf { if p[i - 1] != cr { lineBreaksInRecord += 1 } }
                        else if c == cr { lineBreaksInRecord += 1 }
                        else {
                            i += 1
                            while i + 8 <= end {
                                let m = ByteScan.match(p + i, quote, lf, cr)
                                if m != 0 { i += m.trailingZeroBitCount >> 3; break }
                                i += 8
                            }
                            continue
                        }
                        i += 1
                    }
                    if i == end { return atEOF ? .unterminated(field: spans.count) : .needMore(inQuotes: true) }
                    if i + 1 == end && !atEOF { return .needMore(inQuotes: true) }  // "" or closing?
                    if i + 1 < end && p[i + 1] == quote {
                        escaped = true
                        i += 2
                        continue
                    }
                    i += 1
                    break
                }
                var messy = escaped
                while i < end {
                    let c = p[i]
                    if c == comma || c == lf || c == cr { break }
                    messy = true  // text after the closing quote: kept, as spreadsheets do
                    i += 1
                }
                spans.append(FieldSpan(start: fieldStart, end: i, kind: messy ? .messy : .quoted))
            } else {
                while i + 8 <= end {
                    let m = ByteScan.match(p + i, comma, lf, cr)
                    if m != 0 { i += m.trailingZeroBitCount >> 3; break }
                    i += 8
                }
                while i < end {
                    let c = p[i]
                    if c > comma { i += 1; continue }  // most bytes: letters, digits, CJK
                    if c == comma || c == lf || c == cr { break }
                    i += 1
                }
                spans.append(FieldSpan(start: fieldStart, end: i, kind: .plain))
            }
            if i == end { return atEOF ? .complete(next: end, terminated: false) : .needMore(inQuotes: false) }
            let c = p[i]
            if c == comma {
                i += 1
                continue
            }
            if c == cr {
                if i + 1 < end { return .complete(next: p[i + 1] == lf ? i + 2 : i + 1, terminated: true) }
                return atEOF ? .complete(next: i + 1, terminated: true) : .needMore(inQuotes: false)
            }
            return .complete(next: i + 1, terminated: true)
        }
    }

    // MARK: Values

    private func isBlank() -> Bool {
        for span in spans {
            switch span.kind {
            case .plain: if span.end > span.start { return false }
            case .quoted: if span.end - span.start > 2 { return false }
            case .messy: return false
            }
        }
        return true
    }

    private func string(of span: FieldSpan) -> String {
        let p = buffer.bytes
        switch span.kind {
        case .plain:
            return String(decoding: UnsafeBufferPointer(start: p + span.start, count: span.end - span.start), as: UTF8.self)
        case .quoted:
            return String(decoding: UnsafeBufferPointer(start: p + span.start + 1, count: span.end - span.start - 2), as: UTF8.self)
        case .messy:
            // Doubled quotes inside the quotes become one; text after the closing quote is kept.
            var out = [UInt8]()
            out.reserveCapacity(span.end - span.start)
            var i = span.start + 1
            var inQuotes = true
            while i < span.end {
                let c = p[i]
                if inQuotes && c == 0x22 {
                    if i + 1 < span.end && p[i + 1] == 0x22 { out.append(0x22); i += 2; continue }
                    inQuotes = false
                    i += 1
                    continue
                }
                out.append(c)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The header name of the field holding a U+FFFD, when the record has one.
    private func columnOfInvalidText() -> String? {
        let p = buffer.bytes
        for (index, span) in spans.enumerated() where index < columns.count {
            var i = span.start
            while i + 2 < span.end {
                if p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD { return columns[index] }
                i += 1
            }
        }
        return nil
    }

    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
