import Logging
import SandboxCore
import SandboxFormats
import SandboxStorage

/// Applies one claimed inbox file: read → validate → store → verify → report, in one database
/// transaction, so a crash at any moment leaves either all of the file applied (with its journal
/// entry) or none of it.
final class ExportProcessor {
    let config: AgentConfig
    let state: AgentState
    /// The active rule pack's numbers (`follow(_:)`); the standard ones without a pack.
    private(set) var verifier: QualificationVerifier
    let logger: Logger
    /// `run --once` on a terminal: each file's reading as a progress line.
    var progress: ProgressDisplay?

    init(config: AgentConfig, state: AgentState, verifier: QualificationVerifier, logger: Logger) {
        self.config = config
        self.state = state
        self.verifier = verifier
        self.logger = logger
    }

    /// Verifies with `verification`'s numbers from now on (a pack loaded or changed).
    func follow(_ verification: ActiveVerification) {
        let policy = verification.current
        if policy != verifier.policy { verifier = QualificationVerifier(policy: policy) }
    }

    /// Counts kept while a file is applied.
    struct Tally {
        var accepted = 0, rejected = 0, unchanged = 0, findingsChanged = 0
        /// All-empty records (`,,,`) skipped like blank lines.
        var emptyRecords = 0
    }

    /// Processes the file and moves it to the archive or the failed folder (not on `.retryLater`).
    func process(_ claim: ClaimedFile, clock: AgentClock) -> FileOutcome {
        let outcome = apply(claim, clock: clock)
        do {
            switch outcome {
            case .applied, .duplicate:
                try FileSystem.move(claim.path, to: config.archiveDir + "/" + workName(claim))
            case .failed(let reason):
                try FileSystem.move(claim.path, to: config.failedDir + "/" + workName(claim))
                writeReasonBeside(failedFile: config.failedDir + "/" + workName(claim), reason: reason)
            case .retryLater:
                break
            }
        } catch {
            // The state is committed; the file stays in the work folder and is recognised by its
            // journal entry on the next pass, which finishes the move.
            logger.error("cannot move processed file", metadata: ["file": "\(claim.originalName)", "error": "\(error)"])
        }
        return outcome
    }

    /// Errors that pass: a full disk, a locked database, an I/O error. The file stays claimed and
    /// is retried; everything else is a fault that would repeat.
    static func isTransient(_ error: Error) -> Bool {
        if let e = error as? SQLiteError { return e.isDiskFull || e.isBusy || e.isIOError }
        if error is FileSystem.Failure { return true }
        return false
    }

    private func workName(_ claim: ClaimedFile) -> String {
        String(claim.path.split(separator: "/").last ?? "")
    }

    private func apply(_ claim: ClaimedFile, clock: AgentClock) -> FileOutcome {
        let file = claim.originalName
        let startedAt = clock.unixTime
        let done: JournalEntry?, latest: JournalEntry?, mayRepeat: Bool
        let kind = ExportKind(fileName: file)
        do {
            done = try state.journalEntry(fileName: workName(claim))
            latest = try kind.flatMap { try state.latestApplied(kind: $0) }
            mayRepeat = try state.holdsAppliedFile(size: claim.size)
        } catch {
            return .retryLater(reason: "\(error)")
        }
        if let done {
            // Journaled before a crash that came between the commit and the move: just finish.
            switch done.outcome {
            case .applied: return .applied(accepted: done.rowsAccepted, rejected: done.rowsRejected, unchanged: 0, findingsChanged: 0)
            case .duplicate: return .duplicate(of: done.fileName)
            case .failed: return .failed(reason: done.reason ?? "unreadable")
            }
        }
        // The file's digest, made beside the look-ahead (`PendingDigest`); a file that may repeat an
        // applied one waits for it before its first row (`repeatCheck`).
        let digest = PendingDigest(path: claim.path)
        // An export dated before the newest applied one of its kind is an old file dropped again
        // by mistake: applying it would roll the state back. Dates from the names only, never
        // from content. (The newest's own bytes again are a duplicate, as they always were.)
        if let latest, let day = InboxFileName.exportDay(file),
           let latestDay = InboxFileName.exportDay(Inbox.parseWorkName(latest.fileName)?.1 ?? latest.fileName),
           day < latestDay {
            if mayRepeat, let sha256 = try? digest.value(), sha256 == latest.sha256 {
                return reportDuplicate(claim, sha256: sha256, of: latest, clock: clock)
            }
            let newest = Inbox.parseWorkName(latest.fileName)?.1 ?? latest.fileName
            return reportFailure(claim, digest: digest, clock: clock, kind: kind, type: "file_stale",
                                 reason: "stale: the name dates this export \(day), before the newest applied \(kind!.rawValue) "
                                    + "export \(newest) (dated \(latestDay)); it was not applied, so the state is not rolled back. "
                                    + "If it really is the newest, drop it again under a name with today's date")
        }
        guard let kind, let format = FileFormat(fileName: file) else {
            return reportFailure(claim, digest: digest, clock: clock, kind: nil,
                                 reason: ExportKind.fileNameRule)
        }
        let source: FileBytes, reader: RowReader
        do {
            source = try FileBytes(path: claim.path)
            reader = try openExport(file: source, syntax: format.syntax, encoding: config.csvEncoding)
        } catch {
            return reportFailure(claim, digest: digest, clock: clock, kind: kind, reason: error.description, line: error.line)
        }
        if format.syntax == .csv {
            // A CSV header that lacks a required column (or names one twice) sinks the whole file:
            // no row of it could be applied.
            if let refusal = HeaderMapping(kind: kind, columns: reader.columns).refusal {
                return reportFailure(claim, digest: digest, clock: clock, kind: kind, reason: refusal, line: 1)
            }
        }

        let reports = ReportSet(config: config, claimedAt: claim.claimedAt)
        var tally = Tally()
        do {
            // A platform's first merchants or events file builds the table's index after its rows,
            // sorted on disk.
            let firstLoad = try state.firstLoadIndex(for: kind)
            try state.sortingOnDisk(firstLoad != nil) {
                try state.transaction {
                    // Run after the look-ahead has begun, before the file's first row is applied.
                    let repeatCheck = {
                        guard mayRepeat else { return }
                        try self.checkRepeat(digest: digest.value(), of: latest, file: file, kind: kind, reports: reports)
                    }
                    // Asked again under the write lock, which the check above (outside the
                    // transaction, where SQLite may change how it sorts) did not hold.
                    if firstLoad != nil, let index = try state.firstLoadIndex(for: kind) {
                        try state.buildingIndexAfter(index) {
                            try applyRows(reader: reader, source: source, kind: kind, file: file, reports: reports, tally: &tally,
                                          clock: clock, beforeFirstRow: repeatCheck)
                        }
                    } else {
                        try applyRows(reader: reader, source: source, kind: kind, file: file, reports: reports, tally: &tally, clock: clock,
                                      beforeFirstRow: repeatCheck)
                    }
                    try state.recordJournal(JournalEntry(
                        fileName: workName(claim), kind: kind, size: claim.size, sha256: try digest.value(),
                        rowsAccepted: tally.accepted, rowsRejected: tally.rejected, outcome: .applied, reason: nil,
                        startedAt: startedAt, finishedAt: clock.unixTime))
                    try reports.commit(state: state, unixTime: claim.claimedAt / 1_000_000_000)
                }
            }
        } catch let repeated as RepeatsNewest {
            reports.discard()
            return reportDuplicate(claim, sha256: repeated.sha256, of: repeated.newest, clock: clock)
        } catch let e as UnreadableFile {
            reports.discard()
            return reportFailure(claim, digest: digest, clock: clock, kind: kind, reason: e.description, line: e.line)
        } catch {
            reports.discard()
            if ExportProcessor.isTransient(error) { return .retryLater(reason: "\(error)") }
            // Not the disk, not a lock: retrying would fail the same way forever. Keep the file
            // in the failed folder (nothing of it was applied) and say so.
            logger.critical("internal error while applying a file; it is kept in the failed folder",
                            metadata: ["file": "\(file)", "error": "\(error)"])
            return reportFailure(claim, digest: digest, clock: clock, kind: kind,
                                 reason: "internal error, nothing applied; keep this file and report the error to the agent's maintainers: \(error)")
        }
        logger.info("file applied", metadata: [
            "file": "\(file)", "kind": "\(kind.rawValue)", "accepted": "\(tally.accepted)",
            "rejected": "\(tally.rejected)", "unchanged": "\(tally.unchanged)",
            "findings_changed": "\(tally.findingsChanged)", "empty_records": "\(tally.emptyRecords)"])
        return .applied(accepted: tally.accepted, rejected: tally.rejected, unchanged: tally.unchanged,
                        findingsChanged: tally.findingsChanged)
    }

    /// The file's bytes are the newest applied file's of its kind: nothing would change.
    private struct RepeatsNewest: Error {
        let sha256: String
        let newest: JournalEntry
    }

    /// For a file of the size of an applied one, once its digest is made: the newest applied file
    /// of its kind again is skipped (`RepeatsNewest`: a file is the platform's snapshot at the
    /// moment it was dropped, and nothing would change); an older one's bytes again (A, B, then
    /// A's bytes: the merchant put the licence back) are applied as the newest snapshot, and the
    /// rejects report says so before any row's line.
    private func checkRepeat(digest sha256: String, of newest: JournalEntry?, file: String, kind: ExportKind,
                             reports: ReportSet) throws {
        if let newest, newest.sha256 == sha256 { throw RepeatsNewest(sha256: sha256, newest: newest) }
        guard let prior = try state.journalEntry(sha256: sha256), prior.outcome == .applied else { return }
        let reappliedFrom = Inbox.parseWorkName(prior.fileName)?.1 ?? prior.fileName
        try reports.rejects.append(line: ReportLines.fileProblem(
            type: "file_reapplied", platformID: config.platformID, file: file, sha256: sha256,
            reason: "same content as \(reappliedFrom), an older export; applied again as the newest \(kind.rawValue) snapshot"))
    }

    private func applyRows(reader: RowReader, source: FileBytes, kind: ExportKind, file: String, reports: ReportSet,
                           tally: inout Tally, clock: AgentClock, beforeFirstRow: () throws -> Void) throws {
        let lookahead = RowLookahead(reader: reader, kind: kind, file: file, platformID: config.platformID,
                                     statePath: config.databasePath, verifier: verifier, today: clock.today,
                                     now: clock.unixTime, fileBytes: source.size)
        if let progress {
            progress.start(ProgressLine(label: file, bytesTotal: source.size))
            lookahead.onRows = { progress.update(rows: $0, bytes: source.bytesRead) }
        }
        defer { progress?.finish() }  // after the look-ahead's threads end (defers run in reverse)
        lookahead.start()
        defer { lookahead.finish() }
        try beforeFirstRow()
        var affected = Set<String>()
        // A registry file changes no merchant: with none stored when it begins, none is affected
        // by any of its entries, and 446,000 look-ups of storefronts by code are spared (issue 16).
        let storefrontsToFind = kind == .registry ? try state.holdsMerchants() : false
        let now = clock.unixTime
        while var batch = lookahead.queue.take() {
            defer { lookahead.recycle(&batch) }
            // By index: `for item in batch` copied each item out of the batch, retaining a
            // merchant's strings once more on the writer, the longest thread (2.7 % of its
            // instructions; issue 16, session 35).
            for i in batch.indices {
                let record: ExportRecord, hash: Int64, prepared: RowLookahead.PreparedVerification?, same: Bool
                let earlierInFile: Bool
                // Moved out of the batch and back after it is applied, so that the reader's thread
                // still frees it (`recycle`): bound from the batch, the record was copied, each of
                // a merchant's strings retained and released again on the writer, 5 % of its
                // instructions in a first ingest (issue 16, session 46).
                var item = RowLookahead.Item.rejected(reportLine: [])
                swap(&item, &batch[i])
                switch consume item {
                case .failed(let error):
                    throw error
                case .rejected(let line):
                    tally.rejected += 1
                    try reports.rejects.append(line: line)
                    continue
                case .record(let r, let h, let p, let s, let e):
                    (record, hash, prepared, same, earlierInFile) = (r, h, p, s, e)
                }
                defer {
                    batch[i] = .record(record, hash: hash, prepared: prepared, sameAsCommitted: same, earlierInFile: earlierInFile)
                }
                tally.accepted += 1
                // Same as committed and the merchant's first row in this file (so no earlier row
                // changed it): nothing to write, not even the upsert's probe. This is what makes
                // an unchanged re-export cheap.
                if same, case .merchant = record, !earlierInFile {
                    tally.unchanged += 1
                    continue
                }
                // A merchant's first row in the file queues its entries for the regulator (the
                // merchant's, its findings') before any equal one; a later row's may repeat them
                // (`FeedQueueCoalescer.Knowledge`). Nothing else in a merchants file's commit
                // queues a merchant's entries.
                if case .merchant = record { state.feedKnowledge = earlierInFile ? .maybeRepeated : .first }
                defer { state.feedKnowledge = .unknown }
                let outcome: AgentState.UpsertOutcome
                switch record {
                // The look-ahead's re-verification day, with the row; when its findings are not
                // used (below), `verify` sets the day again.
                case .merchant(let m): outcome = try state.upsert(m, hash: hash, now: now, reverifyOn: prepared?.reverifyOn)
                case .licence(let l): outcome = try state.upsert(l, hash: hash, now: now)
                case .event(let e): outcome = try state.upsert(e, hash: hash, now: now)
                case .receipt(let r): outcome = try state.upsert(r, hash: hash, now: now)
                case .registry(let r): outcome = try state.upsert(r, hash: hash, now: now)
                }
                if outcome == .unchanged {
                    tally.unchanged += 1
                    continue
                }
                switch record {
                case .merchant(let m):
                    // The look-ahead verified against the committed state; that holds unless an
                    // earlier row of this file changed the same merchant.
                    let id = m.platformMerchantID
                    if let prepared, !earlierInFile {
                        try state.writeFindings(merchantID: id, change: prepared.change, now: now, evidenceJSON: prepared.evidenceJSON)
                        if let line = prepared.reportLine {
                            tally.findingsChanged += 1
                            try reports.verification.append(line: line)
                            if let audit = prepared.auditLine { try state.audit(line: audit, at: now) }
                        }
                    } else {
                        try verify(m, file: file, reports: reports, tally: &tally, clock: clock, isNew: outcome == .inserted)
                    }
                case .licence(let l):
                    affected.insert(l.platformMerchantID)
                case .registry(let r):
                    if storefrontsToFind { affected.formUnion(try state.merchantIDs(uscc: r.uscc)) }
                case .receipt(let r):
                    // The platform's answer to an instruction: part of "why was this merchant …?".
                    try state.audit(AuditEvent(
                        at: now, actor: .platform, kind: "receipt", merchantID: r.platformMerchantID, uscc: nil,
                        subject: r.receiptID, detail: "receipt \(r.receiptID) for instruction \(r.instructionID): \(r.action.rawValue)"
                            + (r.note.map { " (\($0))" } ?? "") + " at \(UTCTime.rfc3339(r.at)); file \(file)",
                        record: []))
                case .event:
                    break  // events feed risk classes and cases (the policy), not qualifications
                }
            }
        }
        lookahead.finish()
        let empty = lookahead.emptyRecords
        if empty.count > 0 {
            tally.emptyRecords = empty.count
            try reports.rejects.append(line: ReportLines.emptyRecordsSkipped(platformID: config.platformID, file: file,
                                                                             kind: kind, empty))
        }
        let unknown = HeaderMapping(kind: kind, columns: lookahead.columns).unknownColumns
        if !unknown.isEmpty {
            try reports.rejects.append(line: ReportLines.unknownColumns(platformID: config.platformID, file: file,
                                                                        kind: kind, unknown))
        }
        // A licence or registry file re-verifies the merchants it touches.
        for id in affected.sorted() {
            if let m = try state.merchant(id: id) {
                try verify(m, file: file, reports: reports, tally: &tally, clock: clock)
            }
        }
    }

    /// `isNew`: the merchant was inserted by this file, so it has no stored findings yet.
    func verify(_ m: MerchantRecord, file: String?, reports: ReportSet, tally: inout Tally,
                        clock: AgentClock, isNew: Bool = false) throws {
        let verified = try MerchantVerification(m, verifier: verifier, state: state, today: clock.today)
        let findings = verified.findings
        try state.setReverifyOn(merchantID: m.platformMerchantID, verified.reverifyOn)
        let change = try state.replaceFindings(merchantID: m.platformMerchantID, with: findings, now: clock.unixTime,
                                               knownEmpty: isNew)
        guard !change.isEmpty else { return }
        tally.findingsChanged += 1
        let line = ReportLines.findingsChanged(
            platformID: config.platformID, merchantID: m.platformMerchantID, uscc: m.uscc, file: file,
            verifiedOn: clock.today, change: change, current: findings)
        try reports.verification.append(line: line)
        try state.audit(.findingsChanged(m.platformMerchantID, uscc: m.uscc, change, record: line, at: clock.unixTime))
    }

    private func reportDuplicate(_ claim: ClaimedFile, sha256: String, of prior: JournalEntry,
                                 clock: AgentClock) -> FileOutcome {
        let original = Inbox.parseWorkName(prior.fileName)?.1 ?? prior.fileName
        let reason = "same content (SHA-256 \(sha256)) as \(original), the newest applied \(prior.kind?.rawValue ?? "") export; nothing would change, not applied again"
        do {
            let reports = ReportSet(config: config, claimedAt: claim.claimedAt)
            try reports.rejects.append(line: ReportLines.fileProblem(
                type: "file_duplicate", platformID: config.platformID, file: claim.originalName, sha256: sha256, reason: reason))
            try state.transaction {
                try state.recordJournal(JournalEntry(
                    fileName: workName(claim), kind: ExportKind(fileName: claim.originalName), size: claim.size,
                    sha256: sha256, rowsAccepted: 0, rowsRejected: 0, outcome: .duplicate, reason: reason,
                    startedAt: clock.unixTime, finishedAt: clock.unixTime))
                try reports.commit(state: state, unixTime: claim.claimedAt / 1_000_000_000)
            }
        } catch {
            return .retryLater(reason: "\(error)")
        }
        logger.notice("duplicate file not applied again", metadata: ["file": "\(claim.originalName)", "same_as": "\(original)"])
        return .duplicate(of: original)
    }

    private func reportFailure(_ claim: ClaimedFile, digest: PendingDigest, clock: AgentClock, kind: ExportKind?,
                               type: String = "file_unreadable", reason: String, line: Int? = nil) -> FileOutcome {
        do {
            let sha256 = try digest.value()
            let reports = ReportSet(config: config, claimedAt: claim.claimedAt)
            try reports.rejects.append(line: ReportLines.fileProblem(
                type: type, platformID: config.platformID, file: claim.originalName, sha256: sha256,
                reason: reason + "; the file was moved to the failed folder, nothing of it was applied", line: line))
            try state.transaction {
                try state.recordJournal(JournalEntry(
                    fileName: workName(claim), kind: kind, size: claim.size, sha256: sha256,
                    rowsAccepted: 0, rowsRejected: 0, outcome: .failed, reason: reason,
                    startedAt: clock.unixTime, finishedAt: clock.unixTime))
                try reports.commit(state: state, unixTime: claim.claimedAt / 1_000_000_000)
            }
        } catch {
            return .retryLater(reason: "\(error)")
        }
        logger.warning("file set aside", metadata: ["file": "\(claim.originalName)", "reason": "\(reason)"])
        return .failed(reason: line.map { "line \($0): \(reason)" } ?? reason)
    }

    private func writeReasonBeside(failedFile: String, reason: String) {
        guard let f = try? OutboxFile(folder: config.failedDir, temporaryName: "reason") else { return }
        try? f.append(line: Array(reason.utf8))
        try? f.commit(as: String(failedFile.split(separator: "/").last ?? "file") + ".reason.txt")
    }
}

extension ExportProcessor {
    /// Takes a claimed file: processes it when it is a regular file with one link, judged on the
    /// file itself (ClaimInspection), and sets it aside with a report otherwise. A symbolic link
    /// is never followed: it could point outside the folder.
    func take(_ claim: ClaimedFile, clock: AgentClock) -> FileOutcome {
        switch ClaimInspection.inspect(claim.path) {
        case .regular:
            return process(claim, clock: clock)
        case .symbolicLink:
            return setAside(claim, reason: "symbolic links are not accepted in the inbox; copy or rename the file itself in")
        case .refused(let why):
            logger.warning("inbox file set aside unread", metadata: ["file": "\(claim.originalName)", "reason": "\(why)"])
            return setAside(claim, reason: why)
        }
    }

    /// Reports a claimed entry that is not read and moves it to the failed folder.
    func setAside(_ claim: ClaimedFile, reason: String) -> FileOutcome {
        do {
            let reports = ReportSet(config: config, claimedAt: claim.claimedAt)
            try reports.rejects.append(line: ReportLines.fileProblem(
                type: "file_unreadable", platformID: config.platformID, file: claim.originalName, sha256: nil, reason: reason))
            try state.transaction { try reports.commit(state: state, unixTime: claim.claimedAt / 1_000_000_000) }
            try FileSystem.move(claim.path, to: config.failedDir + "/" + String(claim.path.split(separator: "/").last!))
        } catch {
            return .retryLater(reason: "\(error)")
        }
        return .failed(reason: reason)
    }
}
