/// A report queued in the state database, waiting to be written to `outbox/` as `fileName`.
public struct PendingOutboxFile: Hashable, Sendable {
    public var seq: Int64
    /// `KIND-SEQ-YYYYMMDDTHHMMSSZ.jsonl`, e.g. `guidance-00000042-20260701T083000Z.jsonl`.
    public var fileName: String
    public var body: [UInt8]

    public init(seq: Int64, fileName: String, body: [UInt8]) {
        self.seq = seq; self.fileName = fileName; self.body = body
    }
}
