import SandboxFormats

/// libFuzzer entry for `JSONLinesReader`: the options byte chooses the encoding, the chunk size,
/// the record bound and the column bound; the rest is the file, read to its end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let maxColumns = input.smallLines ? 4 : JSONLinesReader.defaultMaxColumns
    let reader = JSONLinesReader(source: FuzzBytes(input), encoding: input.encoding, chunkSize: input.chunkSize,
                                 maxRecordBytes: 64 + Int((input.options >> 5) & 3) * 128, maxColumns: maxColumns)
    while let row = try? reader.next() {
        if case .success(let r) = row { precondition(r.values.count <= reader.columns.count) }
        precondition(reader.columns.count <= maxColumns, "more columns than the bound")
    }
    return 0
}
