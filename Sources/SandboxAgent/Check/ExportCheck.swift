import SandboxCore
import SandboxFormats

/// A dry run of reading, validation and verification, touching no state: for platforms that
/// prepare exports. Licence and registry files given in the same run are used to verify the
/// merchants, as the agent would once all of them had arrived.
///
/// `verification`: the numbers to verify by — the standard ones (DOMAIN.md §2–§3), or those of the
/// rule pack active in an agent's state (`PolicyInspection.activeVerification(config:)`), so that a check
/// finds what the agent would find where the regulator changed a number.
public struct ExportCheck {
    public let encoding: TextEncoding
    public let today: CivilDate
    public let verifier: QualificationVerifier

    public init(encoding: TextEncoding, today: CivilDate, verification: VerificationPolicy = .standard) {
        self.encoding = encoding
        self.today = today
        verifier = QualificationVerifier(policy: verification)
    }

    /// One message about a file: a rejected row, a file problem, or a merchant's findings.
    public enum Message {
        case fileProblem(file: String, line: Int?, reason: String)
        case unknownColumns(file: String, columns: [String])
        case rejected(file: String, line: Int, column: String?, columnNumber: Int?, reason: String)
        case findings(file: String, line: Int, merchantID: String, findings: [Finding])
        case summary(file: String, kind: ExportKind, rows: Int, accepted: Int, rejected: Int, merchantsWithFindings: Int)
    }

    /// Checks the files in a sensible order (registry and licences before merchants) and hands
    /// every message to `emit` as it is found; returns the number of rejected rows and failed files.
    /// `progress`: shows each file's reading on a terminal.
    public func run(paths: [String], progress: ProgressDisplay? = nil, emit: (Message) -> Void) -> Int {
        let order: [ExportKind?] = [.registry, .licences, .merchants, .events, .receipts, nil]
        let sorted = paths.sorted { a, b in
            let ka = ExportKind(fileName: baseName(a)), kb = ExportKind(fileName: baseName(b))
            return (order.firstIndex(of: ka) ?? 5) < (order.firstIndex(of: kb) ?? 5)
        }
        var registry: [String: RegistryRecord] = [:]
        var licences: [String: [LicenceRecord]] = [:]
        var problems = 0
        for path in sorted {
            let name = baseName(path)
            guard let kind = ExportKind(fileName: name), let format = FileFormat(fileName: name) else {
                emit(.fileProblem(file: name, line: nil, reason: ExportKind.fileNameRule))
                problems += 1
                continue
            }
            let file: FileBytes, reader: RowReader
            do {
                file = try FileBytes(path: path)
                reader = try openExport(file: file, syntax: format.syntax, encoding: encoding)
            } catch {
                emit(.fileProblem(file: name, line: error.line, reason: error.reason))
                problems += 1
                continue
            }
            progress?.start(ProgressLine(label: name, bytesTotal: file.size))
            defer { progress?.finish() }
            if format.syntax == .csv, let refusal = HeaderMapping(kind: kind, columns: reader.columns).refusal {
                emit(.fileProblem(file: name, line: 1, reason: refusal))
                problems += 1
                continue
            }
            var rows = ValidatedRows(reader: reader, kind: kind)
            var count = 0, accepted = 0, rejected = 0, withFindings = 0
            do {
                while let row = try rows.next() {
                    count += 1
                    if count & 255 == 0 { progress?.update(rows: count, bytes: file.bytesRead) }
                    switch row {
                    case .malformed(let m):
                        rejected += 1
                        emit(.rejected(file: name, line: m.line, column: m.column, columnNumber: nil, reason: m.reason))
                    case .rejected(let r):
                        rejected += 1
                        for p in r.problems {
                            emit(.rejected(file: name, line: r.line, column: p.column, columnNumber: p.columnNumber, reason: p.reason))
                        }
                    case .record(let record, let line):
                        accepted += 1
                        switch record {
                        case .registry(let r): registry[r.uscc] = r
                        case .licence(let l): licences[l.platformMerchantID, default: []].append(l)
                        case .merchant(let m):
                            let findings = verifier.verify(merchant: m, licences: licences[m.platformMerchantID] ?? [],
                                                           registry: m.uscc.flatMap { USCC.registryKeys($0).lazy.compactMap { registry[$0] }.first },
                                                           today: today)
                            if !findings.isEmpty {
                                withFindings += 1
                                emit(.findings(file: name, line: line, merchantID: m.platformMerchantID, findings: findings))
                            }
                        case .event, .receipt: break
                        }
                    }
                }
            } catch {
                emit(.fileProblem(file: name, line: error.line, reason: error.reason))
                problems += 1
                continue
            }
            let unknown = HeaderMapping(kind: kind, columns: reader.columns).unknownColumns
            if !unknown.isEmpty { emit(.unknownColumns(file: name, columns: unknown)) }
            emit(.summary(file: name, kind: kind, rows: count, accepted: accepted, rejected: rejected,
                          merchantsWithFindings: withFindings))
            problems += rejected
        }
        return problems
    }

    /// Prints every record of any CSV or JSON Lines file as one JSON object keyed by the file's
    /// own header, whatever the file's name: for platforms debugging an export.
    public func raw(path: String, emit: ([UInt8]) -> Void) throws(UnreadableFile) -> Int {
        let name = baseName(path)
        let syntax = FileFormat(fileName: name)?.syntax ?? .csv
        let reader = try openExport(path: path, syntax: syntax, encoding: encoding)
        var problems = 0
        while let result = try reader.next() {
            var j = JSONLine()
            switch result {
            case .success(let row):
                j.add("_line", row.line)
                for (i, value) in row.values.enumerated() {
                    j.add(named: i < reader.columns.count ? reader.columns[i] : "_extra_\(i + 1 - reader.columns.count)", value)
                }
            case .failure(let m):
                problems += 1
                j.add("_line", m.line)
                j.add("_error", m.reason)
                j.add("_column", m.column)
            }
            emit(j.finished)
        }
        return problems
    }

    func baseName(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }
}
