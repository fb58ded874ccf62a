import Hummingbird
import SandboxCore
import SandboxFormats

extension RegulatorRouter {
    /// POST /v1/receipts: the platform's receipts (the receipts-* columns as JSON Lines, plain or
    /// gzip), read with the agent's own reader and validator, each taken only for an instruction
    /// to the posting platform.
    func postReceipts(_ request: Request) async throws -> Response {
        let platform = try authenticator.platform(request)
        let raw = try await body(request, limit: limits.maxBodyBytes)
        try authenticator.verifySignature(request, body: raw, platform: platform)
        let plain = try plainBody(request, raw, gzipRequired: false)
        try checkLineCount(plain)
        let reader = JSONLinesReader(source: MemoryBytes(plain), encoding: .utf8)
        var validator = RowValidator(kind: .receipts, columns: reader.columns)
        var columnCount = reader.columns.count
        // In line order, so the rejected lines listed are the first ones whatever refused them.
        var lines: [(line: Int, receipt: ReceiptRecord?, refusal: String)] = []
        do {
            while let row = try reader.next() {
                if reader.columns.count != columnCount {
                    columnCount = reader.columns.count
                    validator.updateColumns(reader.columns)
                }
                switch row {
                case .failure(let m): lines.append((m.line, nil, m.reason))
                case .success(let raw):
                    switch validator.validate(raw) {
                    case .success(.receipt(let r)): lines.append((raw.line, r, ""))
                    case .success: break
                    case .failure(let r):
                        lines.append((r.line, nil, r.problems.map(\.description).joined(separator: "; ")))
                    }
                }
            }
        } catch {
            throw APIError(.badRequest, "receipts cannot be read: \(error)")
        }
        var asked: Set<String> = []
        for case (_, let r?, _) in lines { asked.insert(r.instructionID) }
        let known = try await store.read { [asked] s in try s.instructionIDs(platformID: platform.id, among: asked) }
        var receipts: [ReceiptRecord] = []
        var rejected = RejectedLines()
        for (line, receipt, refusal) in lines {
            guard let r = receipt else { rejected.add(line: line, reason: refusal); continue }
            if known.contains(r.instructionID) { receipts.append(r); continue }
            rejected.add(line: line, reason: "`instruction_id` \(r.instructionID) is not an instruction to this platform "
                         + "(no directive to it, no instruction item it sent); check the receipt's instruction_id")
        }
        let (accepted, duplicates) = try await store.write { [receipts] s in try s.storeReceipts(platformID: platform.id, receipts, now: Timestamp.now()) }
        return JSONResponse.make(.ok, ReceiptAnswer(accepted: accepted, duplicates: duplicates, rejected: rejected.listed,
                                                    rejectedCount: rejected.count))
    }
}

/// POST /v1/receipts answer: like a feed's, the first rejected lines and their count.
struct ReceiptAnswer: Encodable {
    var accepted: Int
    var duplicates: Int
    var rejected: [FeedRejection]
    var rejectedCount: Int

    enum CodingKeys: String, CodingKey { case accepted, duplicates, rejected, rejectedCount = "rejected_count" }
}
