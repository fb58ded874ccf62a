import Foundation
import SandboxCore
import SandboxFormats

/// The reading half of applying a file, on its own thread: read, validate, hash, and for
/// merchants that differ from the last committed state, look up their licences and registry
/// entry and verify them, through a read-only connection. The writer (the caller's thread) is
/// left with the SQLite writes; on a 2-core machine the two halves run side by side.
///
/// `@unchecked Sendable`: after `start()` only the look-ahead thread touches the reader, the
/// validator and the read connection; the caller touches only `queue`, and reads `columns`
/// after `finish()` (which waits for the thread to end).
final class RowLookahead: @unchecked Sendable {
    /// A merchant's verification computed ahead against the committed state.
    struct PreparedVerification {
        var change: FindingsChange
        /// The `verification-*` line, nil when nothing changed.
        var reportLine: [UInt8]?
    }

    enum Item {
        case rejected(reportLine: [UInt8])
        case record(ExportRecord, hash: Int64, prepared: PreparedVerification?)
        case failed(Error)
    }

    let queue = BlockingQueue<[Item]>(capacity: 16)
    private let reader: RowReader
    private let kind: ExportKind
    private let file: String
    private let platformID: String
    private let statePath: String
    private let verifier: QualificationVerifier
    private let today: CivilDate
    private let done = DispatchSemaphore(value: 0)
    private var started = false
    /// The reader's columns once reading ended (JSON Lines grows them as it goes).
    private(set) var columns: [String] = []

    init(reader: RowReader, kind: ExportKind, file: String, platformID: String, statePath: String,
         verifier: QualificationVerifier, today: CivilDate) {
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
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "lookahead"
        thread.start()
    }

    /// Stops the thread (if the writer gave up early) and waits for it to end.
    func finish() {
        guard started else { return }
        queue.close()
        done.wait()
        started = false
    }

    private func run() {
        // Verification ahead of the writer is an optimisation: without a read connection the
        // writer verifies every changed merchant itself.
        var committed: AgentState? = kind == .merchants ? try? AgentState(path: statePath, readOnly: true) : nil
        // One read transaction for the whole file: one snapshot, and no lock and WAL check
        // (fcntl, fstat) around every single look-up.
        if let state = committed {
            do { try state.database.execute("BEGIN") } catch { committed = nil }
        }
        defer { try? committed?.database.execute("COMMIT") }
        var validator = RowValidator(kind: kind, columns: reader.columns)
        var columnCount = reader.columns.count
        var batch: [Item] = []
        batch.reserveCapacity(256)
        do {
            while let result = try reader.next() {
                if reader.columns.count != columnCount {
                    columnCount = reader.columns.count
                    validator.updateColumns(reader.columns)
                }
                switch result {
                case .failure(let malformed):
                    batch.append(.rejected(reportLine: ReportLines.malformedRow(platformID: platformID, file: file,
                                                                                kind: kind, malformed)))
                case .success(let row):
                    switch validator.validate(row) {
                    case .failure(let rejection):
                        batch.append(.rejected(reportLine: ReportLines.rejectedRow(
                            platformID: platformID, file: file, kind: kind, rejection, columns: reader.columns)))
                    case .success(let record):
                        let hash = contentHash(record)
                        var prepared: PreparedVerification?
                        if case .merchant(let m) = record, let state = committed {
                            do {
                                prepared = try prepare(m, hash: hash, state: state)
                            } catch {
                                committed = nil
                            }
                        }
                        batch.append(.record(record, hash: hash, prepared: prepared))
                    }
                }
                if batch.count >= 256 {
                    guard queue.put(batch) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            batch.append(.failed(error))
        }
        columns = reader.columns
        if !batch.isEmpty { queue.put(batch) }
        queue.close()
    }

    /// nil when the committed merchant has the same content (the writer will find it unchanged).
    private func prepare(_ m: MerchantRecord, hash: Int64, state: AgentState) throws -> PreparedVerification? {
        let stored = try state.merchantHash(id: m.platformMerchantID)
        if stored == hash { return nil }
        let registry = try m.uscc.flatMap { try state.registry(uscc: $0) }
        let findings = verifier.verify(merchant: m, licences: try state.licences(merchantID: m.platformMerchantID),
                                       registry: registry, today: today)
        let change = try state.findingsChange(merchantID: m.platformMerchantID, to: findings, knownEmpty: stored == nil)
        return PreparedVerification(change: change, reportLine: change.isEmpty ? nil : ReportLines.findingsChanged(
            platformID: platformID, merchantID: m.platformMerchantID, uscc: m.uscc, file: file,
            verifiedOn: today, change: change, current: findings))
    }
}
