import Foundation
import SandboxCore
import SandboxFormats

/// The reading half of applying a file, ahead of the writer, in two threads:
/// 1. the reader reads, validates and hashes rows;
/// 2. for merchants, the verifier compares each hash with the last committed one through a
///    read-only connection and, for those that differ, looks up licences and the registry entry
///    and verifies them.
/// The writer (the caller's thread) is left with the SQLite writes. A first ingest keeps all
/// three busy; an unchanged re-export is only the reader's work.
///
/// `@unchecked Sendable`: after `start()` only the reader thread touches the reader and the
/// validator, only the verifier thread the read connection; the caller touches only `queue`,
/// and reads `columns` after `finish()` (which waits for both threads to end).
final class RowLookahead: @unchecked Sendable {
    /// A merchant's verification computed ahead against the committed state.
    struct PreparedVerification {
        var change: FindingsChange
        /// The `verification-*` line, nil when nothing changed.
        var reportLine: [UInt8]?
        /// The audit event for the change (built here, off the writer's thread).
        var auditLine: [UInt8]?
        /// The merchant's next calendar re-verification, stored with its row.
        var reverifyOn: CivilDate
        /// The evidence of `change.opened`, then of `change.changed`, as stored (`EvidenceJSON`),
        /// encoded here rather than on the writer's thread, the longest of an ingest.
        var evidenceJSON: [String] = []
    }

    enum Item {
        case rejected(reportLine: [UInt8])
        /// `sameAsCommitted`: the committed record has this content hash (known for merchants).
        /// `earlierInFile`: a merchant whose id may have come in an earlier row of the file
        /// (false: certainly its first row); false for the other kinds.
        case record(ExportRecord, hash: Int64, prepared: PreparedVerification?, sameAsCommitted: Bool, earlierInFile: Bool)
        case failed(Error)

        /// A merchant's id and content hash, read without a copy of its record: a copy retained
        /// and released each of its text fields, and an unchanged re-export asks for all 469,000.
        var merchantKey: (id: String, hash: Int64)? {
            guard case .record(.merchant(let m), let hash, _, _, _) = self else { return nil }
            return (m.platformMerchantID, hash)
        }

        /// A merchant's verification, set in place: `verify` borrows the record, which is moved out
        /// of the item and back, neither copied nor its text fields retained. A copy took a
        /// reference to each of a merchant's strings, which the reader's thread had made on the
        /// other core: 4.7 % of an ingest's samples were the verifier's `swift_retain` (issue 16,
        /// session 42). When `verify` throws, the item is left as it was.
        mutating func setPrepared(_ verify: (MerchantRecord) throws -> PreparedVerification) rethrows {
            switch consume self {
            case .record(.merchant(let m), let hash, _, let same, let earlier):
                var prepared: PreparedVerification?
                defer {
                    self = .record(.merchant(m), hash: hash, prepared: prepared, sameAsCommitted: same, earlierInFile: earlier)
                }
                prepared = try verify(m)
            case let other:
                self = other
            }
        }

        /// The record is the committed one: marked in place, its payload moved, not copied.
        mutating func markSameAsCommitted() {
            switch consume self {
            case .record(let record, let hash, let prepared, _, let earlier):
                self = .record(record, hash: hash, prepared: prepared, sameAsCommitted: true, earlierInFile: earlier)
            case let other:
                self = other
            }
        }
    }

    /// Batches (of 256 rows) each queue holds. 16 held four times the records in memory; with 4
    /// the ingest took as long, within its runs' spread (issue 16, session 24).
    static let batchesAhead = 4
    /// What the writer takes.
    let queue = BlockingQueue<[Item]>(capacity: batchesAhead)
    /// From the reader to the verifier (merchant files only).
    private let parsed = BlockingQueue<[Item]>(capacity: batchesAhead)
    /// Batches the writer is done with, freed by the reader thread (`recycle`).
    private let spent = BlockingQueue<[Item]>(capacity: batchesAhead)
    private let reader: RowReader
    private let kind: ExportKind
    private let file: String
    private let platformID: String
    private let statePath: String
    private let verifier: QualificationVerifier
    private let today: CivilDate
    /// The file's time stamp for audit events (agent clock).
    private let now: Int64
    /// The verifier thread's licences and registry entries by row, made from its read snapshot
    /// (before its first merchant in a file of `rowsFirstBytes` or more).
    private var licenceRows: LicenceRows
    private var registryRows: RegistryRows
    private let done = DispatchSemaphore(value: 0)
    private var threads = 0
    private var started = false
    /// The reader's columns once reading ended (JSON Lines grows them as it goes).
    private(set) var columns: [String] = []
    /// Records with every field empty that the reader skipped, with the first few lines.
    private(set) var emptyRecords = EmptyRecords(count: 0, firstLines: [])
    /// Told the rows read so far, every batch, on the reader thread (a progress line); set before `start()`.
    var onRows: ((Int) -> Void)?

    /// A file of at least this many bytes has the verifier make its tables of licences and
    /// registry entries by row (`LicenceRows`, `RegistryRows`) before its first merchant rather
    /// than after 16,384 of them: about 25,000 merchants at the benchmark's 334 bytes a row, past
    /// the 10,000 and 30,000 at which each table pays for its making. Made after 16,384 merchants,
    /// the tables came 0.2 s into an ingest of 469,000, which spent those 0.2 s with the writer
    /// waiting on the verifier's look-ups through the indexes, then 0.1 s more waiting while it
    /// made them (issue 16, session 42).
    static let rowsFirstBytes = 8 << 20

    /// `fileBytes`: the file's size, which decides whether the verifier makes its tables first
    /// (`rowsFirstBytes`).
    init(reader: RowReader, kind: ExportKind, file: String, platformID: String, statePath: String,
         verifier: QualificationVerifier, today: CivilDate, now: Int64, fileBytes: Int) {
        let rowsFirst = fileBytes >= Self.rowsFirstBytes
        licenceRows = rowsFirst ? LicenceRows(afterMerchants: 1) : LicenceRows()
        registryRows = rowsFirst ? RegistryRows(afterMerchants: 1) : RegistryRows()
        self.now = now
        self.reader = reader
        self.kind = kind
        self.file = file
        self.platformID = platformID
        self.statePath = statePath
        self.verifier = verifier
        self.today = today
    }

    func start() {
        started = true
        let verifying = kind == .merchants
        spawn("lookahead-read") { [self] in read(into: verifying ? parsed : queue) }
        if verifying { spawn("lookahead-verify") { [self] in verify() } }
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        threads += 1
        let thread = Thread { [self] in
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Hands a batch the writer is done with to the reader thread, which frees it with its next
    /// batch: each row's text fields longer than 15 bytes, findings and report lines are blocks of
    /// their own, and freeing them was 6 % of the writer's samples in an ingest of 469,000 merchants, where the
    /// writer is the longest thread (issue 16, session 33). The reader allocated most of them, so
    /// it frees them into its own cache. When the reader is done or behind, the writer frees the
    /// batch itself. `batch` is left empty, so the reader holds its only reference.
    func recycle(_ batch: inout [Item]) {
        let done = batch
        batch = []
        _ = spent.offer(done)
    }

    /// Stops the threads (if the writer gave up early) and waits for them to end.
    func finish() {
        guard started else { return }
        queue.close()
        parsed.close()
        spent.close()
        for _ in 0..<threads { done.wait() }
        threads = 0
        started = false
    }

    /// The reader thread: rows in, validated and hashed records (or rejections) out.
    private func read(into output: BlockingQueue<[Item]>) {
        defer { output.close() }
        var rows = ValidatedRows(reader: reader, kind: kind)
        var batch: [Item] = []
        batch.reserveCapacity(256)
        var count = 0
        // The merchant ids read so far. Kept here rather than on the writer, the longest thread:
        // a probe is a cache miss (issue 16, session 35). "Maybe" where an id was not seen (about
        // 0.04 % at 469,000 ids) costs the writer a verification of its own, never correctness.
        var seen = kind == .merchants ? SeenFilter() : nil
        do {
            while let row = try rows.next() {
                count += 1
                switch row {
                case .malformed(let malformed):
                    batch.append(.rejected(reportLine: ReportLines.malformedRow(platformID: platformID, file: file,
                                                                                kind: kind, malformed)))
                case .rejected(let rejection):
                    batch.append(.rejected(reportLine: ReportLines.rejectedRow(
                        platformID: platformID, file: file, kind: kind, rejection)))
                case .record(let record, _):
                    var earlier = false
                    if case .merchant(let m) = record { earlier = seen?.insert(m.platformMerchantID) ?? false }
                    batch.append(.record(record, hash: contentHash(record), prepared: nil, sameAsCommitted: false,
                                         earlierInFile: earlier))
                }
                if batch.count >= 256 {
                    onRows?(count)
                    guard output.put(batch) else { return }
                    batch.removeAll(keepingCapacity: true)
                    while let done = spent.poll() { _ = done }  // freed here (`recycle`)
                }
            }
        } catch {
            batch.append(.failed(error))
        }
        columns = reader.columns
        emptyRecords = reader.emptyRecords
        if !batch.isEmpty { output.put(batch) }
    }

    /// The verifier's page cache. Its look-ups of registry entries and licences fall at random
    /// over 115 MiB of tables and indexes, so a cache holds their inner pages and a few leaves,
    /// and the rest come from the kernel's cache. 16 MiB instead of 4 took about 1.2 s less
    /// system time (2.3 against 3.5 s) on an ingest of 469,000 merchants after their registry
    /// and licences, for 12 MiB more; 8 MiB beside the writer's 32 keeps the ingest under the
    /// 100 MB of issue 16 (docs/benchmarks.md, session 24). Since `RegistryRows` holds the
    /// registry's rows, the codes' index is no longer read, and 4 MiB serves as well (9.35–9.44 s
    /// against 9.36–11.17 s) and pays for the rows' 3.6 MB (session 33); a registry too large to
    /// hold takes 8 MiB again (`RegistryRows.cacheKiBThroughIndex`).
    static let readCacheKiB = 4_096

    /// The verifier thread: merchants compared with, and verified against, the committed state.
    private func verify() {
        defer { queue.close() }
        // Verification ahead of the writer is an optimisation: without a read connection the
        // writer verifies every changed merchant itself.
        var committed: AgentState? = try? AgentState(path: statePath, readOnly: true, cacheKiB: Self.readCacheKiB)
        // One read transaction for the whole file: one snapshot, and no lock and WAL check
        // (fcntl, fstat) around every single look-up.
        if let state = committed {
            do { try state.beginReadSnapshot() } catch { committed = nil }
        }
        defer { try? committed?.endReadSnapshot() }
        // A snapshot without merchants (a platform's first export) holds no hash to compare with:
        // 469,000 look-ups that each found nothing were 4.6 % of the verifier's samples.
        let holdsMerchants = (try? committed?.holdsMerchants()) ?? true
        while var batch = parsed.take() {
            if let state = committed {
                for i in batch.indices {
                    guard let (id, hash) = batch[i].merchantKey else { continue }
                    do {
                        let stored = holdsMerchants ? try state.merchantHash(id: id) : nil
                        if stored == hash {
                            batch[i].markSameAsCommitted()
                            continue
                        }
                        try batch[i].setPrepared { try prepare($0, stored: stored, state: state) }
                    } catch {
                        committed = nil
                        break
                    }
                }
            }
            guard queue.put(batch) else {
                parsed.close()
                return
            }
        }
    }

    /// Verifies a merchant whose content differs from the committed one (`stored` hash, nil when new).
    private func prepare(_ m: MerchantRecord, stored: Int64?, state: AgentState) throws -> PreparedVerification {
        let registry = try m.uscc.flatMap { try registryRows.entry(merchantUSCC: $0, in: state) }
        let verified = try MerchantVerification(m, verifier: verifier, state: state, today: today,
                                                licences: licenceRows.licences(of: m.platformMerchantID, in: state),
                                                registry: registry)
        let findings = verified.findings, reverifyOn = verified.reverifyOn
        let change = try state.findingsChange(merchantID: m.platformMerchantID, to: findings, knownEmpty: stored == nil)
        guard !change.isEmpty else {
            return PreparedVerification(change: change, reportLine: nil, auditLine: nil, reverifyOn: reverifyOn)
        }
        let line = ReportLines.findingsChanged(platformID: platformID, merchantID: m.platformMerchantID, uscc: m.uscc,
                                               file: file, verifiedOn: today, change: change, current: findings)
        return PreparedVerification(change: change, reportLine: line, auditLine: AuditEvent.findingsChanged(
            m.platformMerchantID, uscc: m.uscc, change, record: line, at: now).line, reverifyOn: reverifyOn,
            evidenceJSON: (change.opened + change.changed).map { EvidenceJSON.encode($0.evidence) })
    }
}
