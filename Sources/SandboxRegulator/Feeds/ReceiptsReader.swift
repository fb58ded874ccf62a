import SandboxCore
import SandboxFormats

/// Reads a receipts body (the receipts-* columns as JSON Lines) with the agent's own reader and
/// validator, a line at a time: the receipts it holds, and the lines it refused with why.
enum ReceiptsReader {
    /// What a receipt holds besides its fields' bytes, for the intake budget.
    static let receiptOverheadBytes = 512

    struct Result: Sendable {
        /// Valid receipts with their line, in line order.
        var receipts: [(line: Int, receipt: ReceiptRecord)] = []
        /// Lines refused by the reader or the validator: the first ones listed, every one counted.
        var refused = RejectedLines()
    }

    /// Reads all of `source`. `keep` is told what each receipt will hold before it is kept and may
    /// refuse it by throwing (the intake budget); more than `maxLines` lines throw `TooManyLines`;
    /// a source that fails throws its `UnreadableFile`. `chunkSize` is the reader's (the fuzzer's
    /// harness makes it small: each read allocates about twice it plus `maxLineBytes`).
    static func read(_ source: ByteSource, maxLines: Int, maxLineBytes: Int, chunkSize: Int = 64 * 1024,
                     keep: (Int) throws -> Void) throws -> Result {
        let reader = JSONLinesReader(source: source, encoding: .utf8, chunkSize: chunkSize, maxRecordBytes: maxLineBytes)
        var validator = RowValidator(kind: .receipts, columns: reader.columns)
        var columnCount = reader.columns.count
        var result = Result()
        while let row = try reader.next() {
            let line = switch row { case .success(let r): r.line; case .failure(let m): m.line }
            guard line <= maxLines else { throw TooManyLines(limit: maxLines) }
            if reader.columns.count != columnCount {
                columnCount = reader.columns.count
                validator.updateColumns(reader.columns)
            }
            switch row {
            case .failure(let m): result.refused.add(line: m.line, reason: m.reason)
            case .success(let raw):
                switch validator.validate(raw) {
                case .success(.receipt(let r)):
                    try keep(receiptOverheadBytes + r.receiptID.utf8.count + r.instructionID.utf8.count
                             + r.platformMerchantID.utf8.count + (r.note?.utf8.count ?? 0))
                    result.receipts.append((raw.line, r))
                case .success: break
                case .failure(let r):
                    result.refused.add(line: r.line, reason: r.problems.map(\.description).joined(separator: "; "))
                }
            }
        }
        return result
    }
}
