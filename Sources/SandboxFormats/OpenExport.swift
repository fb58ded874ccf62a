import SandboxCore

/// Opens an inbox export for reading rows: gzip is told from the file's first bytes (1f 8b),
/// not its name; the CSV header is read before this returns.
///
/// `chunkSize` and `maxRecordBytes` exist for tests; the defaults suit real exports.
public func openExport(path: String, syntax: FileFormat.Syntax, encoding: TextEncoding,
                       chunkSize: Int = 256 * 1024, maxRecordBytes: Int = 1 << 20) throws(UnreadableFile) -> RowReader {
    try openExport(file: try FileBytes(path: path), syntax: syntax, encoding: encoding, chunkSize: chunkSize,
                   maxRecordBytes: maxRecordBytes)
}

/// The same, on a file the caller opened: it keeps the `FileBytes` to follow `bytesRead`.
public func openExport(file: FileBytes, syntax: FileFormat.Syntax, encoding: TextEncoding,
                       chunkSize: Int = 256 * 1024, maxRecordBytes: Int = 1 << 20) throws(UnreadableFile) -> RowReader {
    let source: ByteSource = file.prefix(2) == [0x1F, 0x8B] ? try GzipBytes(source: file, chunkSize: chunkSize) : file
    switch syntax {
    case .csv:
        return try CSVReader(source: source, encoding: encoding, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    case .jsonLines:
        return JSONLinesReader(source: source, encoding: encoding, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    }
}
