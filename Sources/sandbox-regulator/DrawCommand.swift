import ArgumentParser
import Foundation
import SandboxRegulator

/// `sandbox-regulator draw`: the double-random inspection draw (docs/policy.md §8).
struct DrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw enterprises for double-random inspections (双随机) and assign inspectors; the draw is stored in `draws`.")

    @Option(help: "The regulator's store: a SQLite file, or postgres://USER@HOST/DATABASE.") var db: String
    @Flag(help: "Take the ratios and inspectors per subject from the rule pack's [inspection] (required: the only source).")
    var ratiosFromPack = false
    @Option(help: "Rule pack file (TOML); default: the newest pack published in the database.") var pack: String?
    @Option(help: "The announced seed (e.g. a public lottery result): the draw follows from it and the population.")
    var seed: String
    @Option(help: "Inspectors file (TOML, [[inspector]] id, name, unit, regions, active).") var inspectors: String
    @Option(help: "The day the draw is for, YYYY-MM-DD (default: today in Asia/Shanghai).") var asOf: String?
    @Option(help: "Only enterprises registered in this 6-digit division, e.g. 510107 (a district's own draw; default: the city).")
    var region: String?
    @Flag(help: "Print JSON (what to publish) instead of text.") var json = false
    @Flag(help: "Print CSV (one row per drawn enterprise) instead of text.") var csv = false
    @Option(help: "Write the output to FILE instead of standard output.") var out: String?

    func validate() throws {
        guard ratiosFromPack else {
            throw ValidationError("give --ratios-from-pack: the ratios come from the rule pack's [inspection] table")
        }
        guard !(json && csv) else { throw ValidationError("give --json or --csv, not both") }
    }

    func run() async throws {
        let store: RegulatorStore
        do { store = try await RegulatorStore.open(db) } catch { throw RulePackCommand.fail("\(db): cannot open the database: \(error)") }
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        let report: DrawReport
        do {
            report = try await DrawRun.run(.init(packPath: pack, seed: seed, inspectorsPath: inspectors, asOf: asOf,
                                                 createdBy: "cli:\(user)", region: region), store: store)
        } catch { throw RulePackCommand.fail(error.message) }
        let text = json ? report.json() : csv ? report.csv() : report.text()
        if let out {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw RulePackCommand.fail("\(out): cannot write the draw (it is stored as draw #\(report.id)): \(error.localizedDescription)")
            }
            print("draw #\(report.id): \(report.result.drawn.count) of \(report.result.populationCount) enterprises drawn → \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
