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

            // A changed record is written unless the stored version is newer (no version counts as
            // 0): a batch that arrives late — a requeued dead letter, a replay — rolls nothing back.
            let upsert = try database.prepare("""
                INSERT INTO records (platform_id, type, key, uscc, content_hash, data, updated_at, pack_version, pack_serial, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform_id, type, key) DO UPDATE SET
                    uscc = excluded.uscc, content_hash = excluded.content_hash,
                    data = excluded.data, updated_at = excluded.updated_at,
                    pack_version = excluded.pack_version, pack_serial = excluded.pack_serial, version = excluded.version
                WHERE records.content_hash != excluded.content_hash AND COALESCE(excluded.version, 0) >= COALESCE(records.version, 0)
                """)
            // Unchanged content under a newer version still moves the version on, or an older
            // version with other content that comes later would pass the check above.
            let bump = try database.prepare("""
                UPDATE records SET version = ?4
                WHERE platform_id = ?1 AND type = ?2 AND key = ?3 AND content_hash = ?5 AND COALESCE(version, 0) < ?4
                """)
            for item in items {
                try upsert.bind(1, item.platformID)
                try upsert.bind(2, item.kind.rawValue)
                try upsert.bind(3, item.key)
                try upsert.bind(4, item.uscc)
                try upsert.bind(5, item.contentHash)
                try upsert.bind(6, item.dataJSON)
                try upsert.bind(7, now)
                try upsert.bind(8, item.packVersion)
                try upsert.bind(9, item.packSerial)
                try upsert.bind(10, item.version)
                try upsert.step()
                upsert.reset()
                // Only a version that changed the record is new (a resend writes nothing).
                if database.changes > 0 {
                    if item.kind == .roster || item.kind == .case { try appendHistory(item, now: now) }
                } else if let version = item.version {
                    try bump.bind(1, item.platformID)
                    try bump.bind(2, item.kind.rawValue)
                    try bump.bind(3, item.key)
                    try bump.bind(4, version)
                    try bump.bind(5, item.contentHash)
                    try bump.step()
                    bump.reset()
                }
            }
            try count(platformID: platformID, batchesAccepted: 1, itemsAccepted: items.count, itemsRejected: rejected.count)
            return .applied(answer)
        }
    }
}
