import Foundation
import SandboxStorage

extension StoreSession {
    /// Applies one batch exactly once: the idempotency check, the records, the stored answer
    /// and the counters commit together, so a crash leaves either all of it or none.
    public func applyFeed(platformID: String, batchKey: String, bodyDigest: String,
                          items: [FeedItem], rejected: RejectedLines, now: Int64) throws -> FeedOutcome {
        try database.transaction {
            // The key is claimed first: on PostgreSQL a second node given the same batch waits here
            // for this transaction and then finds the key taken, so a batch resent to another node
            // is a duplicate there too, never applied and counted twice.
            let answer = FeedAnswer(batch: batchKey, accepted: items.count, rejected: rejected, duplicate: false)
            let claim = try database.prepare("""
                INSERT INTO batches (platform_id, batch_key, body_sha256, answer, received_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (platform_id, batch_key) DO NOTHING
                """)
            try claim.bind(1, platformID)
            try claim.bind(2, batchKey)
            try claim.bind(3, bodyDigest)
            try claim.bind(4, String(decoding: try JSONEncoder().encode(answer), as: UTF8.self))
            try claim.bind(5, now)
            try claim.step()
            claim.reset()
            if database.changes == 0 {
                let find = try database.prepare("SELECT body_sha256, answer FROM batches WHERE platform_id = ? AND batch_key = ?")
                defer { find.reset() }
                try find.bind(1, platformID)
                try find.bind(2, batchKey)
                guard try find.step() else { throw StoreLocationError("batch \(batchKey) of \(platformID) was claimed and is gone") }
                let digest = find.string(0) ?? "", answerText = find.string(1) ?? ""
                guard digest == bodyDigest else { return .keyReused }
                try count(platformID: platformID, batchesDuplicate: 1)
                var stored = try JSONDecoder().decode(FeedAnswer.self, from: Data(answerText.utf8))
                stored.duplicate = true
                return .duplicate(stored)
            }

            var intake = FeedIntake(session: self, now: now)
            try intake.apply(items)
            try count(platformID: platformID, batchesAccepted: 1, itemsAccepted: items.count, itemsRejected: rejected.count)
            try intake.commitFigures(platformID: platformID)
            return .applied(answer)
        }
    }
}
