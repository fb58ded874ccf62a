import ArgumentParser
import Foundation
import SandboxAgent

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check a rule pack, show the stored packs, explain one merchant's class, cases and roster standing.",
        subcommands: [PolicyCheck.self, PolicyShow.self, PolicyExplain.self])
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
