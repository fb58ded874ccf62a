import Hummingbird
import SandboxCore
import SandboxFormats
import SandboxWire

extension RegulatorRouter {
    /// POST /v1/receipts: the platform's receipts (the receipts-* columns as JSON Lines, plain or
    /// gzip), read with the agent's own reader and validator (`ReceiptsReader`, within the intake
    /// budget), each taken only for an instruction to the posting platform.
    func postReceipts(_ request: Request) async throws -> Response {
        let platform = try authenticator.platform(request)
        let maxLines = limits.maxLines, maxLineBytes = limits.maxLineBytes
        let (read, _, share) = try await takeIn(request, platform: platform, gzipRequired: false) { body, share in
            try ReceiptsReader.read(body, maxLines: maxLines, maxLineBytes: maxLineBytes, keep: share.grow(by:))
        }
        // The receipts are held until they are stored.
        defer { share.release() }
        let asked = Set(read.receipts.map(\.receipt.instructionID))
        let platformID = platform.id
        let known = try await store.read { s in try s.instructionIDs(platformID: platformID, among: asked) }
        var receipts: [ReceiptRecord] = []
        var unknown: [(line: Int, instructionID: String)] = []
        for (line, r) in read.receipts {
            if known.contains(r.instructionID) { receipts.append(r) } else { unknown.append((line, r.instructionID)) }
        }
        let rejected = read.refused.merged(with: unknown, line: \.line) { r in
            "`instruction_id` \(r.instructionID) is not an instruction to this platform "
                + "(no directive to it, no instruction item it sent); check the receipt's instruction_id"
        }
        let (accepted, duplicates) = try await store.write { [receipts] s in try s.storeReceipts(platformID: platform.id, receipts, now: Timestamp.now()) }
        return JSONResponse.make(.ok, ReceiptAnswer(accepted: accepted, duplicates: duplicates, rejected: rejected.listed,
                                                    rejectedCount: rejected.count))
    }
}
