import ArgumentParser
import Foundation
import SandboxAgent
import SandboxCore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The sandbox roster, the cases, or the award candidates (评优评先).",
        discussion: """
            roster      current sandbox members with class, points and since when
            cases       cases with state, deadline, steps issued, next due time, the last instruction and its receipt
            candidates  members in good standing (class A, no open case), longest first
            --json prints JSON Lines; --csv prints RFC 4180 UTF-8 with a BOM (opens in Excel) and English headers,
            a cell that starts like a formula (= + - @) after an apostrophe.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case roster, cases, candidates }

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var clockOptions: ClockOptions

    @Argument(help: "roster, cases or candidates.")
    var kind: Kind

    @Option(help: "cases: open, overdue, closed or all.")
    var state: String = "open"

    @Flag(help: "JSON Lines.")
    var json = false

    @Flag(help: "CSV with a BOM.")
    var csv = false

    func run() throws {
        let config = try configOptions.load()
        let store = try AgentState(path: config.databasePath, readOnly: true)
        let today = try clockOptions.clock().today.dayNumber
        let report: PolicyReport
        switch kind {
        case .roster: report = try PolicyReports.roster(store)
        case .candidates: report = try PolicyReports.candidates(store, today: today)
        case .cases:
            guard let filter = PolicyReports.CaseFilter(rawValue: state) else {
                printError("sandbox-agent: --state must be open, overdue, closed or all, got \(state)")
                throw ExitCode(64)
            }
            report = try PolicyReports.cases(store, filter: filter)
        }
        let out = StandardOutput()
        if json {
            for row in report.rows {
                var line = JSONLine()
                for (k, v) in zip(report.columns, row) { line.add(named: k, v) }
                out.line(line.finished)
            }
        } else if csv {
            out.line(Array("\u{FEFF}".utf8) + Array(report.columns.joined(separator: ",").utf8))
            // Opened in Excel (the BOM): a shop's name must not be taken for a formula.
            for row in report.rows { out.line(Array(row.map { CSVField.spreadsheetText($0 ?? "") }.joined(separator: ",").utf8)) }
        } else {
            out.line(Array(report.columns.joined(separator: "\t").utf8))
            for row in report.rows { out.line(Array(row.map { $0 ?? "-" }.joined(separator: "\t").utf8)) }
            printError("\(report.rows.count) \(kind.rawValue == "cases" ? "case(s)" : kind == .roster ? "member(s)" : "candidate(s)")")
        }
        out.flush()
    }
}
