import SandboxCore
import SandboxFormats

/// Rows of one export, read and typed: a reader and a validator that follows the reader's
/// columns as JSON Lines grows them. The agent's pipeline and `check` both read through it.
struct ValidatedRows {
    enum Row {
        case record(ExportRecord, line: Int)
        /// Split into values, but a value is wrong.
        case rejected(RowRejection)
        /// Could not be split into values.
        case malformed(MalformedRow)
    }

    let reader: RowReader
    private var validator: RowValidator
    private var columnCount: Int

    init(reader: RowReader, kind: ExportKind) {
        self.reader = reader
        validator = RowValidator(kind: kind, columns: reader.columns)
        columnCount = reader.columns.count
    }

    /// The next row, or nil at the end; throws when the file as a whole stops being readable.
    mutating func next() throws(UnreadableFile) -> Row? {
        guard let result = try reader.next() else { return nil }
        if reader.columns.count != columnCount {
            columnCount = reader.columns.count
            validator.updateColumns(reader.columns)
        }
        switch result {
        case .failure(let malformed):
            return .malformed(malformed)
        case .success(let row):
            switch validator.validate(row) {
            case .failure(let rejection): return .rejected(rejection)
            case .success(let record): return .record(record, line: row.line)
            }
        }
    }
}
