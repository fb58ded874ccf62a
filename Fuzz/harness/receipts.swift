import SandboxFormats

/// libFuzzer entry for the regulator's receipts intake: the body through `InflatedBody` (gzip
/// when the first byte is odd) into `ReceiptsReader` (the agent's JSON Lines reader and receipts
/// validator), with small bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReceipts(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size),
          let body = try? InflatedBody(input.bytes, gzip: input.gzip, limit: 1 << 16) else { return 0 }
    guard let read = try? ReceiptsReader.read(body, maxLines: 64, maxLineBytes: input.smallLines ? 64 : 2048, keep: { _ in }) else { return 0 }
    precondition(read.receipts.allSatisfy { !$0.receipt.receiptID.isEmpty && $0.line >= 1 && $0.line <= 64 })
    precondition(read.refused.listed.count <= RejectedLines.listLimit)
    return 0
}
