import Foundation
import Logging
import SandboxCore
import TestSupport
import XCTest
@testable import SandboxAgent

/// The feed queue, the batcher and the syncer's bookkeeping, on a real state database. The wire
/// is tested against the real regulator in EndToEndTests; here a scripted sink gives each outcome
/// on demand, so every branch of the bookkeeping is checked exactly.
final class SyncQueueTests: XCTestCase {
    var directory: String!
    var config: AgentConfig!
    let now: Int64 = 1_782_900_000  // 2026-07-01T10:00:00Z

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sync-queue-\(UInt64.random(in: 0...UInt64.max))"
        for sub in ["/outbox", "/state"] { try FileManager.default.createDirectory(atPath: directory + sub, withIntermediateDirectories: true) }
        config = try ConfigLoader.parse(text: """
            [agent]
            platform_id = "p-1"
            [regulator]
            batch_max_records = 3
            batch_max_age_ms = 10
            """, file: "agent.conf", baseDirectory: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func merchant(_ id: String, name: String = "店") -> MerchantRecord {
        var m = StateTests.fullMerchant
        m.platformMerchantID = id
        m.shopName = name
        return m
    }

    func testOnlyChangesAreQueued() throws {
        let state = try AgentState(path: config.databasePath)
        try state.upsert(merchant("m1"), hash: 1, now: now)
        try state.upsert(merchant("m1"), hash: 1, now: now)  // unchanged: nothing
        try state.upsert(merchant("m1", name: "新"), hash: 2, now: now)
        try state.upsert(StateTests.licence, hash: 5, now: now)
        try state.replaceFindings(merchantID: "m1", with: [], now: now)  // no change: nothing
        let f = Finding(code: "X", severity: .minor, message: "m", evidence: [], basis: "b")
        try state.replaceFindings(merchantID: "m1", with: [f], now: now)
        try state.replaceFindings(merchantID: "m1", with: [f], now: now)  // unchanged: nothing
        let queued = try state.queuedFeed(endpoint: .feeds, limit: 100)
        XCTAssertEqual(queued.map { "\($0.type.rawValue):\($0.key)" }, ["merchant:m1", "merchant:m1", "licence:M000001", "findings:m1"])
        XCTAssertEqual(queued[2].part2, "food_business")
        XCTAssertEqual(queued[2].part3, "JY15101040012345")
        XCTAssertEqual(try state.queuedFeed(endpoint: .receipts, limit: 100), [])
    }

    /// Entries are buffered and written as chunk rows; they commit and roll back with the changes,
    /// at every level of nesting.
    func testQueuedEntriesFollowTheirTransaction() throws {
        let state = try AgentState(path: config.databasePath)
        struct Failure: Error {}
        try state.transaction {
            for i in 0..<5_000 { try state.upsert(merchant("a\(i)"), hash: 1, now: now) }  // > one chunk
            _ = try? state.transaction {                                                  // a savepoint that fails
                try state.upsert(merchant("lost"), hash: 1, now: now)
                throw Failure()
            }
            _ = try state.transaction { try state.upsert(merchant("kept"), hash: 1, now: now) }
        }
        XCTAssertThrowsError(try state.transaction {
            try state.upsert(merchant("rolled-back"), hash: 1, now: now)
            throw Failure()
        })
        // A full chunk, the rest written before the savepoint began, and the savepoint's own entry.
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM feed_queue"), 3, "5,001 entries in three chunk rows")
        XCTAssertEqual(try state.feedQueueDepth().count, 5_001)
        let keys = try state.queuedFeed(endpoint: .feeds, limit: 10_000).map(\.key)
        XCTAssertEqual(keys.count, 5_001)
        XCTAssertEqual(keys.first, "a0")
        XCTAssertEqual(keys.last, "kept")
        XCTAssertFalse(keys.contains("lost") || keys.contains("rolled-back"))
        XCTAssertNil(try state.merchant(id: "lost"))

        // Taking entries out of the middle of a chunk keeps the rest, in order.
        let some = try state.queuedFeed(endpoint: .feeds, limit: 3)
        try state.transaction { try state.removeQueued(some) }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 2).map(\.key), ["a3", "a4"])
        XCTAssertEqual(try state.feedQueueDepth().count, 4_998)
    }

    /// A full chunk is compressed on a thread of its own while the writer goes on (`ChunkCompression`,
    /// issue 16, session 46); a transaction rolled back after handing chunks off leaves none.
    func testARolledBackTransactionLeavesNoHandedOffChunk() throws {
        let state = try AgentState(path: config.databasePath)
        struct Failure: Error {}
        XCTAssertThrowsError(try state.transaction {
            for i in 0..<(2 * AgentState.feedQueueChunkSize + 1) { try state.upsert(merchant("gone\(i)"), hash: 1, now: now) }
            throw Failure()
        })
        try state.transaction { try state.upsert(merchant("kept"), hash: 1, now: now) }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 10_000).map(\.key), ["kept"])
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM feed_queue"), 1)
    }

    /// Chunk rows are stored compressed (Zstandard since schema v15, gzip in v12–v14, issue 16); a
    /// row queued raw by an agent before v12, or gzip-compressed by one before v15, is read, taken
    /// from and coalesced as it was.
    func testChunksAreStoredCompressedAndRawChunksOfBeforeAreStillRead() throws {
        let state = try AgentState(path: config.databasePath)
        var raw: [UInt8] = [], gzipped: [UInt8] = []
        for i in 0..<3 { FeedQueueChunk.append(.merchant, "old\(i)", nil, nil, to: &raw) }
        for i in 0..<2 { FeedQueueChunk.append(.merchant, "gz\(i)", nil, nil, to: &gzipped) }
        gzipped = Gzip.compress(gzipped)
        try state.transaction {
            let s = try state.database.prepare("INSERT INTO feed_queue (entries, count, queued_at) VALUES (?, ?, ?)")
            for (entries, count) in [(raw, 3), (gzipped, 2)] {
                try s.bind(all: entries, count, now)
                try s.step()
                s.reset()
            }
            for i in 0..<2_000 { try state.upsert(merchant("m\(i)"), hash: 1, now: now) }
        }
        let s = try state.database.prepare("SELECT entries FROM feed_queue ORDER BY seq")
        var rows: [[UInt8]] = []
        while try s.step() { rows.append(s.blob(0)) }
        s.reset()
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0], raw, "the raw row stays as it was")
        XCTAssertEqual(rows[1], gzipped, "the gzip row stays as it was")
        XCTAssertTrue(Zstd.isCompressed(rows[2]), "a new chunk is stored compressed")
        XCTAssertEqual(StoredChunk.plain(rows[2]).flatMap(FeedQueueChunk.decode)?.count, 2_000)
        var plain: [UInt8] = []
        for i in 0..<2_000 { FeedQueueChunk.append(.merchant, "m\(i)", nil, nil, to: &plain) }
        XCTAssertLessThan(rows[2].count, plain.count / 3)

        let keys = try state.queuedFeed(endpoint: .feeds, limit: 10_000).map(\.key)
        XCTAssertEqual(keys.count, 2_005)
        XCTAssertEqual(Array(keys.prefix(6)), ["old0", "old1", "old2", "gz0", "gz1", "m0"])
        // Taken from all three: the raw and the gzip rows rewritten (compressed), the new one too.
        let some = try state.queuedFeed(endpoint: .feeds, limit: 6)
        try state.transaction { try state.removeQueued([some[1], some[3], some[5]]) }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 4).map(\.key), ["old0", "old2", "gz1", "m1"])
        XCTAssertEqual(try state.feedQueueDepth().count, 2_002)
        XCTAssertNil(StoredChunk.plain([0x1f, 0x8b, 0x08, 0x00]), "a damaged gzip row is refused")
        XCTAssertNil(StoredChunk.plain(Array(Zstd.compress(plain).dropLast(4))), "a damaged frame is refused")
    }

    /// Issue 11: a licence listed twice in one export (the renewed row after the old, same
    /// merchant, type and number) is one entry, so a batch boundary cannot fall between two
    /// copies and the regulator counts it once. The last row's content is what is sent.
    func testARecordChangedTwiceInOneCommitIsQueuedOnce() throws {
        let state = try AgentState(path: config.databasePath)
        var renewed = StateTests.licence
        renewed.validTo = CivilDate(year: 2031, month: 6, day: 30)!
        try state.transaction {
            try state.upsert(StateTests.licence, hash: 1, now: now)
            try state.upsert(merchant("m1"), hash: 1, now: now)
            try state.upsert(renewed, hash: 2, now: now)  // the same key, changed again
            try state.upsert(merchant("m2"), hash: 1, now: now)
        }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 100).map { "\($0.type.rawValue):\($0.key)" },
                       ["licence:M000001", "merchant:m1", "merchant:m2"], "the first position is kept")
        XCTAssertEqual(try state.feedQueueDepth().count, 3, "the chunk's count follows")
        XCTAssertEqual(try state.licences(merchantID: "M000001").first?.validTo, renewed.validTo, "the last row won")

        // Another commit changes it again: a new entry, since the first may have been sent meanwhile.
        renewed.validTo = CivilDate(year: 2032, month: 6, day: 30)!
        try state.transaction { _ = try state.upsert(renewed, hash: 3, now: now) }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 100).filter { $0.type == .licence }.count, 2)

        // A batch of three takes the first commit whole (with two licence entries it would have
        // held the licence and m1, and m2 would have waited beside the licence's copy).
        let freezer = try FeedFreezer(state: state, config: config, clock: AgentClock(), logger: Logger(label: "t"))
        XCTAssertEqual(try freezer.step(flushPartial: true), .froze)
        XCTAssertEqual(try XCTUnwrap(try state.oldestReadyBatch()).items, 3, "licence, m1, m2")
    }

    /// The copies may be thousands of entries apart, in different chunk rows; a savepoint that
    /// rolled back leaves no trace; what was written before the commit is never touched.
    func testCopiesAreFoundAcrossChunksAndOnlyInTheirCommit() throws {
        let state = try AgentState(path: config.databasePath)
        try state.upsert(merchant("early"), hash: 1, now: now)  // a commit of its own, before
        struct Failure: Error {}
        try state.transaction {
            try state.upsert(merchant("early", name: "改"), hash: 2, now: now)
            for i in 0..<5_000 { try state.upsert(merchant("a\(i)"), hash: 1, now: now) }  // > one chunk
            try? state.transaction {
                try state.upsert(merchant("lost"), hash: 1, now: now)
                throw Failure()
            }
            try state.upsert(merchant("lost"), hash: 1, now: now)    // after the rollback: its only entry
            try state.upsert(merchant("a7", name: "改"), hash: 2, now: now)   // chunk 1's entry, again in chunk 2
            try state.upsert(merchant("a4999", name: "改"), hash: 2, now: now)
        }
        let keys = try state.queuedFeed(endpoint: .feeds, limit: 10_000).map(\.key)
        XCTAssertEqual(keys.count, 5_003, "early twice (two commits), a0…a4999 and lost once each")
        XCTAssertEqual(keys.filter { $0 == "early" }.count, 2)
        XCTAssertEqual(keys.filter { $0 == "a7" }.count, 1)
        XCTAssertEqual(keys.filter { $0 == "a4999" }.count, 1)
        XCTAssertEqual(keys.filter { $0 == "lost" }.count, 1)
        XCTAssertEqual(Array(keys.prefix(3)), ["early", "early", "a0"], "order kept")
        XCTAssertEqual(try state.feedQueueDepth().count, 5_003)
    }

    /// Entries the caller vouches for skip the filter (issue 16, session 35): a first entry goes
    /// in as it is, a later one the caller says may repeat is compared before the commit, and so
    /// is, once the commit holds vouched entries, one the caller knows nothing about — the filter
    /// never saw the first copy. Distinct entries stay, whatever was vouched.
    func testVouchedEntriesSkipTheFilterAndTheirRepeatsAreStillSentOnce() throws {
        let state = try AgentState(path: config.databasePath)
        try state.transaction {
            state.feedKnowledge = .first
            for i in 0..<3 { try state.upsert(merchant("m\(i)"), hash: 1, now: now) }
            state.feedKnowledge = .maybeRepeated
            try state.upsert(merchant("m1", name: "改"), hash: 2, now: now)   // a later row of m1
            try state.upsert(merchant("m3"), hash: 1, now: now)              // may repeat, does not
            state.feedKnowledge = .unknown
            try state.upsert(merchant("m2", name: "改"), hash: 2, now: now)   // nothing known: a suspect all the same
            try state.upsert(merchant("m4"), hash: 1, now: now)
        }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 100).map(\.key), ["m0", "m1", "m2", "m3", "m4"],
                       "each once, at its first position")
        XCTAssertEqual(try state.feedQueueDepth().count, 5)
        // The next commit starts knowing nothing: the filter finds a repeat again.
        try state.transaction {
            try state.upsert(merchant("m5"), hash: 1, now: now)
            try state.upsert(merchant("m5", name: "改"), hash: 2, now: now)
        }
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 100).filter { $0.key == "m5" }.count, 1)
    }

    /// With a filter so small that nearly every entry looks seen, nothing distinct is dropped:
    /// a false positive costs the pass, never an entry.
    func testFalsePositivesOfTheFilterDropNothing() throws {
        let coalescer = FeedQueueCoalescer(log2Bits: 6)
        var chunk: [UInt8] = []
        var positions: [Range<Int>] = []
        for i in 0..<500 {
            let start = chunk.count
            FeedQueueChunk.append(.merchant, "m\(i % 400)", nil, nil, to: &chunk)  // m0…m99 twice
            positions.append(start..<chunk.count)
        }
        for range in positions { chunk.withUnsafeBytes { coalescer.note(entry: UnsafeRawBufferPointer(rebasing: $0[range])) } }
        XCTAssertTrue(coalescer.hasSuspects)
        var kept = Set<[UInt8]>()
        XCTAssertEqual(coalescer.laterCopies(in: chunk, kept: &kept), Array(400..<500))
        XCTAssertNil(coalescer.laterCopies(in: Array(chunk.dropLast()), kept: &kept), "a damaged chunk is refused")
        coalescer.reset()
        XCTAssertFalse(coalescer.hasSuspects)
        XCTAssertNil(coalescer.firstChunk)
    }

    func testChunkBytesRoundTrip() {
        var bytes: [UInt8] = []
        FeedQueueChunk.append(.licence, "m|1", "food_business", "川食|123", to: &bytes)
        FeedQueueChunk.append(.findings, "", nil, nil, to: &bytes)
        let decoded = FeedQueueChunk.decode(bytes)
        XCTAssertEqual(decoded?.count, 2)
        XCTAssertEqual(decoded?[0].key, "m|1")
        XCTAssertEqual(decoded?[0].part3, "川食|123")
        XCTAssertEqual(decoded?[1].type, .findings)
        XCTAssertNil(decoded?[1].part2)
        XCTAssertNil(FeedQueueChunk.decode(Array(bytes.dropLast())), "a cut chunk is refused, not misread")
        XCTAssertNil(FeedQueueChunk.decode([9]))
    }

    func testABatchRendersCurrentContentOnceAndTakesItsEntriesAtomically() throws {
        let state = try AgentState(path: config.databasePath)
        try state.upsert(merchant("m1", name: "旧"), hash: 1, now: now)
        try state.upsert(merchant("m1", name: "新\"店\""), hash: 2, now: now)   // twice before the batch: sent once, newest
        try state.upsert(merchant("m2"), hash: 3, now: now)
        try state.replaceFindings(merchantID: "m2", with: [Finding(
            code: "DISPLAYED_NAME_MISMATCH", severity: .minor, message: "名称不一致",
            evidence: [Evidence(field: "displayed_name", expected: "甲", found: "乙")], basis: "《电子商务法》第十五条")], now: now)
        let freezer = try FeedFreezer(state: state, config: config, clock: AgentClock(), logger: Logger(label: "t"))
        XCTAssertEqual(try freezer.step(flushPartial: false), .froze)      // 3 entries = a full batch
        let batch = try XCTUnwrap(try state.oldestReadyBatch())
        XCTAssertEqual(batch.items, 2)
        XCTAssertTrue(batch.id.hasPrefix("p-1-"), batch.id)
        XCTAssertEqual(batch.id.split(separator: "-").last?.count, 16, batch.id)
        let lines = try GzipReading.jsonLines(batch.body)
        XCTAssertEqual(lines.map { $0["key"] as? String }, ["m1", "m2"])
        let data = try XCTUnwrap(lines[0]["data"] as? [String: Any])
        XCTAssertEqual(data["shop_name"] as? String, "新\"店\"")
        XCTAssertEqual(data["licence_displayed"] as? Bool, true)
        XCTAssertEqual(data["annual_turnover_fen"] as? Int, 123_456_789)
        XCTAssertEqual(data["verified_at"] as? String, "2026-06-30")
        XCTAssertEqual(lines[0]["content_hash"] as? String, "2")
        XCTAssertEqual(lines[0]["platform_id"] as? String, "p-1")
        XCTAssertEqual(lines[0]["uscc"] as? String, "92510104MA6C5L2X1Q")
        // The findings entry is the fourth: left for the next batch, which is partial.
        XCTAssertEqual(try state.queuedFeed(endpoint: .feeds, limit: 10).map(\.key), ["m2"])
        if case .waitUntil = try freezer.step(flushPartial: false) {} else { XCTFail("a partial batch waits for its age") }
        XCTAssertEqual(try freezer.step(flushPartial: true), .froze)
        let second = try XCTUnwrap(try state.batches(where: "state = 'ready' ORDER BY seq").last)
        let findings = try GzipReading.jsonLines(second.body)[0]
        XCTAssertEqual(findings["type"] as? String, "findings")
        let current = try XCTUnwrap((findings["data"] as? [String: Any])?["current"] as? [[String: Any]])
        XCTAssertEqual(current.first?["code"] as? String, "DISPLAYED_NAME_MISMATCH")
        XCTAssertEqual((current.first?["evidence"] as? [[String: Any]])?.first?["found"] as? String, "乙")
        XCTAssertEqual(try freezer.step(flushPartial: true), .aheadFull, "two batches wait: the freezer rests")
        try state.database.execute("DELETE FROM feed_batches")
        XCTAssertEqual(try freezer.step(flushPartial: true), .empty)

        // All findings cleared: the regulator is told with an empty set.
        try state.replaceFindings(merchantID: "m2", with: [], now: now)
        XCTAssertEqual(try freezer.step(flushPartial: true), .froze)
        let cleared = try GzipReading.jsonLines(try XCTUnwrap(try state.oldestReadyBatch()).body)[0]
        XCTAssertEqual(((cleared["data"] as? [String: Any])?["current"] as? [Any])?.count, 0)
    }

    func testTheFreezerStaysTwoBatchesAhead() throws {
        let state = try AgentState(path: config.databasePath)
        for i in 0..<12 { try state.upsert(merchant("m\(i)"), hash: 1, now: now) }
        let freezer = try FeedFreezer(state: state, config: config, clock: AgentClock(), logger: Logger(label: "t"))
        XCTAssertEqual(try freezer.step(flushPartial: true), .froze)
        XCTAssertEqual(try freezer.step(flushPartial: true), .froze)
        XCTAssertEqual(try freezer.step(flushPartial: true), .aheadFull)
        XCTAssertEqual(try state.feedQueueDepth().count, 6, "the rest waits in the queue, not in memory")
    }

    func testEachOutcomeIsRecorded() throws {
        let state = try AgentState(path: config.databasePath)
        for i in 0..<9 { try state.upsert(merchant("m\(i)"), hash: 1, now: now) }
        let freezer = try FeedFreezer(state: state, config: config, clock: AgentClock(), logger: Logger(label: "t"), ahead: 3)
        for _ in 0..<3 { XCTAssertEqual(try freezer.step(flushPartial: true), .froze) }
        let sink = ScriptedSink()
        let syncer = FeedSyncer(state: state, sink: sink, config: config, clock: AgentClock(), logger: Logger(label: "t"))
        let first = try XCTUnwrap(try state.oldestReadyBatch())

        sink.script = [.retry(afterSeconds: 30, reason: "regulator answered HTTP 503")]
        XCTAssertEqual(try syncer.step(), .worked)
        var b = try XCTUnwrap(try state.oldestReadyBatch())
        XCTAssertEqual(b.seq, first.seq)
        XCTAssertEqual(b.attempts, 1)
        XCTAssertEqual(b.lastError, "regulator answered HTTP 503")
        // Strict order: the oldest waits, nothing newer goes.
        if case .waitUntil = try syncer.step() {} else { XCTFail("the oldest batch must wait for its retry") }
        XCTAssertEqual(sink.sent.count, 1)

        sink.script = [.credentialsRefused(afterSeconds: 5, reason: "HTTP 401"), .credentialsRefused(afterSeconds: 5, reason: "HTTP 401")]
        XCTAssertEqual(try syncer.step(dueNow: []), .worked)
        XCTAssertEqual(try syncer.step(dueNow: []), .worked)
        b = try XCTUnwrap(try state.oldestReadyBatch())
        XCTAssertEqual(b.seq, first.seq, "credentials refused: the batch is kept")
        XCTAssertEqual(b.attempts, 3)
        XCTAssertEqual(try alerts().filter { $0["type"] as? String == "credentials_refused" }.count, 1, "one alert per episode")

        sink.script = [.delivered(removed: false, rejected: [RejectedLine(line: 2, reason: "bad uscc")], unlisted: 41)]
        XCTAssertEqual(try syncer.step(dueNow: []), .worked)
        XCTAssertEqual(try state.readyBatchCount(), 2)
        XCTAssertEqual(try state.meta(SyncMeta.itemsDelivered), "3")
        // One alert per listed line, and one for those the regulator only counted (issue 17 item 4).
        let rejectedAlerts = try alerts().filter { $0["type"] as? String == "feed_lines_rejected" }
        XCTAssertEqual(rejectedAlerts.map { $0["line"] as? Int }, [2, nil])
        XCTAssertEqual(rejectedAlerts.last?["unlisted"] as? Int, 41)

        sink.script = [.deadLetter(reason: "regulator refused the batch with HTTP 413: too large")]
        XCTAssertEqual(try syncer.step(), .worked)
        XCTAssertEqual(try state.deadBatches().count, 1)
        XCTAssertEqual(try alerts().last?["type"] as? String, "feed_dead_letter")
        sink.script = [.delivered(removed: false, rejected: [])]
        XCTAssertEqual(try syncer.step(), .worked, "the next batch goes on after a dead letter")
        XCTAssertEqual(try syncer.step(), .idle)
        XCTAssertEqual(try state.requeueDeadBatches(), 1)
        sink.script = [.delivered(removed: false, rejected: [])]
        XCTAssertEqual(try syncer.step(), .worked)
        XCTAssertEqual(try state.meta(SyncMeta.itemsDelivered), "9")
        XCTAssertEqual(sink.sent.map(\.id).filter { $0 == first.id }.count, 4, "every attempt sent the same batch id")
        XCTAssertEqual(Set(sink.sent.filter { $0.id == first.id }.map(\.body)).count, 1, "…with the same bytes")
    }

    /// The regulator lists the first 100 rejected lines and counts the rest (`rejected_count`); an
    /// older regulator listed all and sent no count.
    func testTheAnswersRejectedCountBeyondItsListIsUnlisted() {
        let bounded = HTTPFeedSink.rejectedLines(Array(#"{"accepted":1,"rejected":[{"line":2,"reason":"r"}],"rejected_count":42}"#.utf8))
        XCTAssertEqual(bounded.listed, [RejectedLine(line: 2, reason: "r")])
        XCTAssertEqual(bounded.unlisted, 41)
        let old = HTTPFeedSink.rejectedLines(Array(#"{"accepted":1,"rejected":[{"line":2,"reason":"r"}]}"#.utf8))
        XCTAssertEqual(old.unlisted, 0)
    }

    private func alerts() throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: config.outbox).filter { $0.hasPrefix("alert-") }.sorted()
            .flatMap { name in
                try String(contentsOfFile: config.outbox + "/" + name, encoding: .utf8).split(separator: "\n").map {
                    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
                }
            }
    }

}

/// A sink that answers from a script and remembers what it was given.
final class ScriptedSink: FeedSink {
    var script: [DeliveryResult] = []
    var sent: [FeedBatch] = []
    func deliver(_ batch: FeedBatch) -> DeliveryResult {
        sent.append(batch)
        return script.isEmpty ? .retry(afterSeconds: 1, reason: "no script") : script.removeFirst()
    }
}
