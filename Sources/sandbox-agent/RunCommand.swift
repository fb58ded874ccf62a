import ArgumentParser
import Foundation
import SandboxAgent
import SandboxService

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the inbox and process exports until stopped (SIGTERM/SIGINT).")

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var clockOptions: ClockOptions

    @Flag(help: "Process what is in the inbox now, sync with the regulator, then exit 0 (75: something left for retry).")
    var once = false

    @Flag(help: "With --once: process the inbox only; the feed queue waits for the next run.")
    var noSync = false

    func validate() throws {
        if noSync && !once { throw ValidationError("--no-sync goes with --once: the service always keeps the link") }
    }

    func run() throws {
        // First, before any thread exists: the service group receives these signals only if every
        // thread has them blocked (ServiceSignals explains). `--once` keeps the default: a
        // SIGTERM ends it at once, and its work is transactional.
        if !once { ServiceSignals.blockInThisThread() }
        let config = try configOptions.load()
        let logger = makeLogger(level: config.logLevel, format: config.logFormat)
        do {
            try AgentFolders.prepare(config, configFile: configOptions.config, logger: logger)
        } catch let e as ConfigError {
            printError("sandbox-agent: \(e)")
            throw ExitCode(78)
        } catch {
            printError("sandbox-agent: cannot create the agent's folders: \(error)")
            throw ExitCode(73)  // EX_CANTCREAT
        }
        for warning in AgentFolders.warnings(config) { logger.warning("inbox open to tampering", metadata: ["problem": "\(warning)"]) }
        let runner: AgentRunner
        do {
            runner = try AgentRunner(config: config, clock: try clockOptions.clock(), logger: logger)
        } catch let e as ExitCode {
            throw e
        } catch {
            printError("sandbox-agent: cannot start: \(error)")
            throw ExitCode(1)
        }
        if once {
            if !noSync {
                do {
                    if let note = try runner.regulatorLink().pullRulePack() {
                        print(note)
                    }
                } catch {
                    print("rule pack: cannot ask the regulator (\(error)); the stored pack stays in force")
                }
            }
            runner.progress = ProgressDisplay.forStandardError()
            // One pass, then the process ends: nothing is kept for a next pass.
            runner.policy.keepsForNextPass = false
            let s = try runner.pass(everything: true)
            print("processed \(s.outcomes.count) file(s): \(s.applied) applied, \(s.duplicates) duplicate, "
                  + "\(s.failed) failed, \(s.retryLater) left for retry; rows \(s.rowsAccepted) accepted, "
                  + "\(s.rowsRejected) rejected, \(s.rowsUnchanged) unchanged; reports in \(config.outbox)")
            if let p = s.policy {
                print("policy \(p.packVersion): \(p.merchants) merchant(s), \(p.classDecisions) class decision(s), "
                      + "\(p.casesOpened) case(s) opened, \(p.casesChanged) changed, \(p.instructions) instruction(s), "
                      + "\(p.prompts) prompt(s), \(p.rosterChanges) roster change(s) in \(String(format: "%.2f", p.seconds)) s")
            } else if config.policy != nil {
                print("policy: no pass (no rule pack active, or the pass failed: see the log)")
            }
            if let n = s.calendarFindingsChanged, n > 0 {
                print("calendar re-verification for \(try clockOptions.clock().today): findings changed for \(n) merchant(s)")
            }
            if noSync {
                if s.retryLater > 0 { throw ExitCode(75) }
                return
            }
            let link = try runner.regulatorLink().once()
            let target = config.regulator.map { "to \($0.endpoint.baseURL)" } ?? "to outbox feed files (offline)"
            print("feed: \(link.progress.itemsDelivered) item(s) in \(link.progress.batchesDelivered) batch(es) delivered \(target)"
                  + (link.progress.deadLettered > 0 ? ", \(link.progress.deadLettered) batch(es) refused (see alert-* in the outbox)" : ""))
            if config.regulator != nil {
                print("directives: \(link.directives) new; registry changes: \(link.registryChanges)")
            }
            var leftForRetry = s.retryLater > 0
            if case .leftForRetry(let reason) = link.drain {
                print("feed: batches left for retry: \(reason)")
                leftForRetry = true
            }
            for problem in link.problems {
                print("regulator link: \(problem)")
                leftForRetry = true
            }
            if leftForRetry { throw ExitCode(75) }
        } else {
            runner.configPath = configOptions.config
            try runner.runUntilStopped()
        }
    }
}

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate agent.conf; exit 78 on error.")

    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        let c = try configOptions.load()
        let problems = AgentFolders.problems(c, configFile: configOptions.config)
        for p in problems { printError("sandbox-agent: \(p)") }
        if !problems.isEmpty { throw ExitCode(78) }
        print("\(configOptions.config): ok (platform \(c.platformID), inbox \(c.inbox), outbox \(c.outbox), state \(c.stateDir))")
        for warning in AgentFolders.warnings(c) { print("warning: \(warning)") }
        for f in AgentFolders.folders(of: c) where AgentFolders.standing(of: f.path) == .missing {
            print("\(f.key): \(f.path) does not exist; `run` will create it (mode \(String(f.mode, radix: 8)))")
        }
        if let link = c.regulator {
            print("regulator: \(link.endpoint.baseURL) (token and HMAC secret read; batches of up to "
                  + "\(link.batchMaxRecords) records or \(link.batchMaxAgeMilliseconds) ms)")
        } else {
            print("regulator: none configured (offline)")
        }
    }
}
