import SandboxFormats

/// libFuzzer entry for the regulator's feed intake: the body, streamed line by line through
/// `InflatedBody` (gzip when the first byte is odd) and `BodyLines` into `FeedBatchParser`, with
/// small bounds so over-long lines, the line bound and the inflate bound are all reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    // Bits 1–6: 1…64 bytes at a time, both of the gzip read and of the lines' read.
    let chunk = 1 + Int((input.options >> 1) & 0x3F)
    guard let body = try? InflatedBody(input.bytes, gzip: input.gzip, limit: 1 << 16, chunkSize: chunk) else { return 0 }
    // Mostly lines of up to 4 KiB; with the top bit, 48 bytes, so over-long lines are common too.
    let lines = BodyLines(source: body, maxLineBytes: input.smallLines ? 48 : 4096, chunkSize: chunk)
    var kept = 0
    guard let (items, rejected) = try? FeedBatchParser.read(lines, platformID: "A", maxLines: 64, keep: { kept += $0 }) else { return 0 }
    precondition(items.allSatisfy { $0.platformID == "A" && !$0.key.isEmpty && $0.dataJSON.first == "{" })
    precondition(rejected.listed.count <= RejectedLines.listLimit && rejected.count >= rejected.listed.count)
    precondition(items.count + rejected.count <= 64)
    return 0
}
