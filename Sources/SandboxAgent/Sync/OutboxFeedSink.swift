/// Offline mode (`[regulator] url` empty): each batch becomes `outbox/feed-SEQ-TIME.jsonl.gz`
/// (receipts: `feed-SEQ-TIME.receipts.jsonl.gz`), the same bytes the regulator would have got.
///
/// The sequence is taken and the file renamed into place inside the transaction that deletes
/// the batch: a crash in between rolls the sequence back, and the retry writes the same name.
final class OutboxFeedSink: FeedSink {
    let state: AgentState
    let outbox: String

    init(state: AgentState, outbox: String) {
        self.state = state
        self.outbox = outbox
    }

    func deliver(_ batch: FeedBatch) -> DeliveryResult {
        do {
            try state.transaction {
                let sequence = try state.nextOutboxSequence()
                let file = try OutboxFile(folder: outbox, temporaryName: "feed-\(batch.seq)")
                try file.append(bytes: batch.body)
                try file.commit(as: OutboxName.make(kind: "feed", unixTime: batch.createdAt, sequence: sequence,
                                                    suffix: batch.endpoint == .feeds ? ".jsonl.gz" : ".receipts.jsonl.gz"))
                try state.deleteBatch(seq: batch.seq)
            }
            return .delivered(removed: true, rejected: [])
        } catch {
            return .retry(afterSeconds: 5, reason: "cannot write the feed file to \(outbox): \(error)")
        }
    }
}
