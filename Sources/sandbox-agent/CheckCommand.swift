import ArgumentParser
import Glibc
import Logging
import SandboxAgent
import SandboxCore
import SandboxFormats

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Dry-run reading, validation and verification of export files; touches no state.",
        discussion: "Exit status: 0 when every row is accepted, 1 when rows were rejected or a file is unreadable.")

    @Argument(help: "Export files (merchants-*, licences-*, events-*, receipts-*, registry-*; .csv, .jsonl, .gz).")
    var files: [String]

    @Flag(help: "One JSON object per line instead of text.")
    var json = false

    @Flag(help: "Print each parsed record of any CSV or JSON Lines file as JSON keyed by its own header.")
    var raw = false

    @Option(help: "Text encoding of CSV files: auto, utf-8 or gb18030.")
    var encoding: String = "auto"

    @Option(help: ArgumentHelp(
        "An agent's agent.conf: verify by the numbers of the rule pack active in its state.",
        discussion: "Without it, or when no pack is active there, the standard numbers (DOMAIN.md §2–§3)."))
    var config: String?

    @OptionGroup var clockOptions: ClockOptions

    func run() throws {
        guard let textEncoding = TextEncoding(rawValue: encoding) else {
            printError("sandbox-agent: --encoding must be auto, utf-8 or gb18030")
            throw ExitCode(64)
        }
        let check = ExportCheck(encoding: textEncoding, today: try clockOptions.clock().today, verification: try numbers())
        var problems = 0
        let out = StandardOutput()
        if raw {
            for path in files {
                do {
                    problems += try check.raw(path: path) { out.line($0) }
                } catch {
                    printError("\(path): \(error)")
                    problems += 1
                }
            }
        } else {
            // On a terminal, the progress line on stderr; wiped before stdout writes to the same screen.
            let progress = ProgressDisplay.forStandardError()
            if let progress, isatty(1) == 1 { out.beforeFlush = { progress.clear() } }
            problems = check.run(paths: files, progress: progress) { message in
                out.line(Array((json ? CheckOutput.json(message) : CheckOutput.text(message)).utf8))
            }
        }
        out.flush()
        if problems > 0 { throw ExitCode(1) }
    }

    /// The verification numbers, named on stderr: a regulator may change them in the rule pack,
    /// and a check by other numbers than the agent's finds other things.
    func numbers() throws -> VerificationPolicy {
        guard let config, !raw else { return .standard }
        let agentConfig = try ConfigOptions.load(path: config)
        do {
            if let active = try PolicyInspection.activeVerification(config: agentConfig, logger: Logger(label: "sandbox-agent")) {
                printError("verifying by the numbers of rule pack \(active.pack), active in \(agentConfig.databasePath)")
                return active.numbers
            }
        } catch {
            printError("sandbox-agent: cannot read the rule pack in \(agentConfig.databasePath): \(error)")
            throw ExitCode(1)
        }
        printError("verifying by the standard numbers (DOMAIN.md §2–§3): no rule pack is active in \(agentConfig.databasePath)")
        return .standard
    }
}

/// How `check` shows its messages.
enum CheckOutput {
    static func text(_ m: ExportCheck.Message) -> String {
        switch m {
        case .fileProblem(let file, let line, let reason):
            return "\(file)\(line.map { " line \($0)" } ?? ""): \(reason)"
        case .unknownColumns(let file, let columns):
            return "\(file): columns ignored (not in export format v1): \(columns.joined(separator: ", "))"
        case .rejected(let file, let line, let column, let number, let reason):
            let col = column.map { " column \($0)" + (number.map { " (#\($0))" } ?? "") } ?? ""
            return "\(file) line \(line)\(col): \(reason)"
        case .findings(let file, let line, let id, let findings):
            return findings.map { f in
                "\(file) line \(line) merchant \(id): [\(f.severity.rawValue)] \(f.code) \(f.message) — \(f.basis)"
            }.joined(separator: "\n")
        case .summary(let file, let kind, let rows, let accepted, let rejected, let withFindings):
            return "\(file): \(kind.rawValue), \(rows) rows, \(accepted) accepted, \(rejected) rejected"
                + (kind == .merchants ? ", \(withFindings) merchants with findings" : "")
        }
    }

    static func json(_ m: ExportCheck.Message) -> String {
        var j = JSONLine()
        switch m {
        case .fileProblem(let file, let line, let reason):
            j.add("type", "file_unreadable"); j.add("file", file); j.add("line", line); j.add("reason", reason)
        case .unknownColumns(let file, let columns):
            j.add("type", "unknown_columns"); j.add("file", file); j.add("columns", strings: columns)
        case .rejected(let file, let line, let column, let number, let reason):
            j.add("type", "row_rejected"); j.add("file", file); j.add("line", line)
            j.add("column", column); j.add("column_number", number); j.add("reason", reason)
        case .findings(let file, let line, let id, let findings):
            j.add("type", "findings"); j.add("file", file); j.add("line", line)
            j.add("platform_merchant_id", id); j.add("findings", each: findings) { ReportLines.finding($1, &$0) }
        case .summary(let file, let kind, let rows, let accepted, let rejected, let withFindings):
            j.add("type", "summary"); j.add("file", file); j.add("kind", kind.rawValue); j.add("rows", rows)
            j.add("accepted", accepted); j.add("rejected", rejected); j.add("merchants_with_findings", withFindings)
        }
        return String(decoding: j.finished, as: UTF8.self)
    }
}
