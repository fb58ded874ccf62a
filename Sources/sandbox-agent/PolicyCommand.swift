import ArgumentParser
import Foundation
import SandboxAgent

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check a rule pack, show the stored packs, explain one merchant's class, cases and roster standing.",
        subcommands: [PolicyCheck.self, PolicyShow.self, PolicyExplain.self, PolicyBench.self])
}

struct PolicyCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a rule pack file (and its signature with --keys); exit 0, or 78 with every problem.")

    @Argument(help: "The pack file (TOML).")
    var file: String

    @Option(help: "The signature file (default FILE.sig).")
    var signature: String?

    @Option(help: "A trusted keys file: also verify the signature.")
    var keys: String?

    func run() throws {
        let result = PolicyInspection.check(file: file, signature: signature, keys: keys)
        for p in result.problems { print(p) }
        if !result.problems.isEmpty {
            printError("\(result.problems.count) problem(s); the pack would be refused")
            throw ExitCode(78)
        }
        print((result.summary ?? file) + ": ok")
    }
}

struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "The rule packs the agent stores (active, pending, retired).")
    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        let lines = try PolicyInspection.show(config: try configOptions.load())
        if lines.isEmpty { print("no rule pack stored") }
        for l in lines { print(l) }
    }
}

struct PolicyExplain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "One merchant through the active pack now (JSON): class explanation, roster standing, cases.")
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var clockOptions: ClockOptions

    @Option(help: "The platform merchant id.")
    var merchant: String

    func run() throws {
        let config = try configOptions.load()
        let logger = makeLogger(level: .warning, format: config.logFormat)
        guard let json = try PolicyInspection.explain(config: config, now: try clockOptions.clock().unixTime,
                                                      merchantID: merchant, logger: logger) else {
            printError("sandbox-agent: no active rule pack, or no merchant \(merchant)")
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data(json + [0x0a]))
    }
}

struct PolicyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run policy passes in one process, one per day from --now, as the service does (benchmarks; writes decisions).",
        discussion: "The first pass reads every input from the state; later passes reuse the columns in memory while nothing "
            + "the policy reads has changed, as the running agent does. Use a copy of the state: the passes' decisions are written.")
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var clockOptions: ClockOptions

    @Option(help: "How many passes.")
    var passes: Int = 3

    @Option(help: "Days between passes (0: the same day again).")
    var daysApart: Int = 1

    func run() throws {
        let config = try configOptions.load()
        let logger = makeLogger(level: .warning, format: config.logFormat)
        let start = try clockOptions.clock().unixTime
        let policy = try PolicyRunner.open(config: config, logger: logger)
        for i in 0..<passes {
            let now = start + Int64(i * daysApart) * 86_400
            guard let r = try policy.run(now: now) else {
                printError("sandbox-agent: no rule pack active")
                throw ExitCode(1)
            }
            let phases = r.timings.map { "\($0.0)=\(String(format: "%.3f", $0.1))" }.joined(separator: " ")
            print("pass \(i + 1): \(String(format: "%.2f", r.seconds)) s; \(r.classDecisions) class, \(r.casesOpened) opened, "
                  + "\(r.casesChanged) changed, \(r.instructions) instructions, \(r.prompts) prompts, \(r.rosterChanges) roster; \(phases)")
        }
    }
}
