import SandboxFormats

/// libFuzzer entry for `CSVReader`: the options byte chooses the encoding, the chunk size and the
/// record bound; the rest is the file, read to its end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let maxRecord = 64 + Int(input.options >> 5) * 96
    guard let reader = try? CSVReader(source: FuzzBytes(input), encoding: input.encoding, chunkSize: input.chunkSize,
                                      maxRecordBytes: maxRecord) else { return 0 }
    while let row = try? reader.next() {
        if case .success(let r) = row { precondition(r.line >= 1) }
    }
    return 0
}
