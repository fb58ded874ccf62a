import ArgumentParser
import Foundation
import SandboxCore
import SandboxRegulator

/// `sandbox-regulator report outcomes`: the seed's outcome figures from the regulator's database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports from the regulator's database.", subcommands: [Outcomes.self])

    struct Outcomes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Platforms, associations, merchants, sandbox members, prompts, leads, rectifications, no-penalty decisions, suspensions, repairs.")
        @Option(help: "The regulator's store: a SQLite file, or postgres://USER@HOST/DATABASE.") var db: String
        @Option(help: "First day, YYYY-MM-DD (default: 1 January of the year of --to).") var from: String?
        @Option(help: "Last day, YYYY-MM-DD (default: today).") var to: String?
        @Option(help: "Division-code prefix of the enterprises' registration: 5101 (成都), 510104 (锦江区)…") var region: String?
        @Flag(help: "One JSON object.") var json = false
        @Flag(help: "CSV: figure,value.") var csv = false

        func run() async throws {
            let today = CivilDate(unixTime: Int64(Date().timeIntervalSince1970))
            guard let (first, last) = OutcomeReport.period(from: from, to: to, today: today) else {
                throw ValidationError("--from and --to must be days YYYY-MM-DD with from ≤ to")
            }
            if let region, !OutcomeReport.isRegion(region) {
                throw ValidationError("--region must be 2, 4 or 6 digits of a 行政区划代码, e.g. 5101 or 510104")
            }
            if json && csv { throw ValidationError("--json or --csv, not both") }
            let report = try await RegulatorStore.open(db).read { try $0.outcomes(from: first, to: last, region: region,
                                                                     now: Int64(Date().timeIntervalSince1970)) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else if csv {
                print("figure,value")
                for (key, value) in report.rows { print("\(key),\(value.map(String.init) ?? "")") }
            } else {
                print("\(report.from) … \(report.to)" + (report.region.map { ", region \($0)" } ?? ", all regions"))
                for (key, value) in report.rows {
                    let label = (OutcomeReport.labels[key] ?? key) + " (\(key))"
                    print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + (value.map(String.init) ?? "not recorded yet"))
                }
            }
        }
    }
}
