/// One CSV field (RFC 4180), written once for the house: the agent's `report --csv`, the
/// regulator's console exports and `draw --csv`, and the generator's export files.
///
/// A field is quoted, its quotes doubled, only when it holds a comma, a quote, CR or LF. The test
/// is on UTF-8 bytes: before this type the string versions tested `Character`s, and "\r\n" is one
/// `Character` equal to neither "\r" nor "\n", so a field holding CRLF went out unquoted and broke
/// its row in two.
public enum CSVField {
    /// `value` as a CSV field.
    public static func text(_ value: String) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` as a cell of a file a person opens in a spreadsheet: a value that a spreadsheet
    /// would take for a formula (first character `=`, `+`, `-`, `@`, tab or CR) is prefixed with
    /// an apostrophe, so a shop named `=HYPERLINK(…)` stays text (CSV injection). A negative
    /// number so becomes text too, which a spreadsheet shows as it was.
    public static func spreadsheetText(_ value: String) -> String {
        guard let first = value.utf8.first, startsFormula(first) else { return text(value) }
        return text("'" + value)
    }

    /// Appends `value` as a CSV field.
    public static func append(_ value: String, to out: inout [UInt8]) {
        value.withUTF8Bytes { append(utf8: $0, to: &out) }
    }

    /// Appends UTF-8 bytes as a CSV field.
    @inlinable
    public static func append(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if bytes.contains(where: needsQuotes) { appendQuoted(bytes, to: &out) } else { out.append(contentsOf: bytes) }
    }

    /// Appends the bytes quoted, their quotes doubled.
    @inlinable
    public static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    /// A byte that makes its field quoted: `,` `"` CR LF (never a byte of a multi-byte UTF-8 or
    /// GB18030 character's trail, so the test may run before transcoding).
    @inlinable
    public static func needsQuotes(_ b: UInt8) -> Bool { b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D }

    /// A first byte that makes a spreadsheet read the cell as a formula.
    static func startsFormula(_ b: UInt8) -> Bool { b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D }
}
