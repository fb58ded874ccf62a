import NIOCore

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN` (tab between fields, a newline
/// after each row, `\N` for NULL), written straight into the buffer the connection sends. A
/// backslash, tab, newline or carriage return inside a value is escaped, so a field's text —
/// a record's JSON with its own `\n` and `\"` escapes — arrives exactly as given.
struct PostgresCopyText {
    private(set) var buffer = ByteBuffer()
    private var fieldsInRow = 0

    mutating func add(_ value: String?) {
        separate()
        guard let value else {
            buffer.writeStaticString("\\N")
            return
        }
        var plain = true
        for byte in value.utf8 where byte == UInt8(ascii: "\\") || byte == 9 || byte == 10 || byte == 13 {
            plain = false
            break
        }
        if plain {
            buffer.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    mutating func add(_ value: Int64?) {
        separate()
        if let value { buffer.writeString(String(value)) } else { buffer.writeStaticString("\\N") }
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(10))
        fieldsInRow = 0
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(9)) }
        fieldsInRow += 1
    }
}
