import SandboxFormats

/// libFuzzer entry for the regulator's receipts intake: the body through `InflatedBody` (gzip
/// when the first byte is odd) into `ReceiptsReader` (the agent's JSON Lines reader and receipts
/// validator), with small bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReceipts(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    // Bits 1–3: 16…64 bytes at a time (refills with short bodies), or when all set the regulator's
    // own 64 KiB. Always 64 KiB, every input allocated some 200 KiB: a third of the run's time.
    let k = Int((input.options >> 1) & 7)
    let chunk = k == 7 ? 64 * 1024 : 16 + k * 8
    guard let body = try? InflatedBody(input.bytes, gzip: input.gzip, limit: 1 << 16, chunkSize: chunk),
          let read = try? ReceiptsReader.read(body, maxLines: 64, maxLineBytes: input.smallLines ? 64 : 2048,
                                               chunkSize: chunk, keep: { _ in }) else { return 0 }
    precondition(read.receipts.allSatisfy { !$0.receipt.receiptID.isEmpty && $0.line >= 1 && $0.line <= 64 })
    precondition(read.refused.listed.count <= RejectedLines.listLimit)
    return 0
}
