import ArgumentParser
import SandboxAgent
import SandboxService

/// `sandbox-agent`: the credit-sandbox agent beside one e-commerce platform.
@main
struct SandboxAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-agent",
        abstract: "Verifies a platform's merchant exports for the Chengdu credit sandbox (信用沙盒).",
        version: ProjectVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, CheckConfigCommand.self, StatusCommand.self,
                      GenerateCommand.self, DeadLettersCommand.self, AuditCommand.self, ReportCommand.self,
                      PolicyCommand.self])
}

/// Options shared by the commands that read agent.conf.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path of agent.conf.")
    var config: String = "agent.conf"

    /// Loads the configuration or exits 78 (EX_CONFIG) with the error on stderr.
    func load() throws -> AgentConfig { try Self.load(path: config) }

    /// Loads the configuration at `path` or exits 78 (EX_CONFIG) with the error on stderr.
    static func load(path: String) throws -> AgentConfig {
        do {
            return try ConfigLoader.load(path: path)
        } catch {
            printError("sandbox-agent: \(error)")
            throw ExitCode(78)
        }
    }
}

/// The clock override for drills and tests.
struct ClockOptions: ParsableArguments {
    @Option(name: .long, help: "Pretend today is this day (YYYY-MM-DD), for drills and tests. Also SANDBOX_AGENT_NOW.")
    var now: String?

    func clock() throws -> AgentClock {
        guard let text = now ?? environment("SANDBOX_AGENT_NOW") else { return AgentClock() }
        guard let day = parseDay(text) else {
            printError("sandbox-agent: --now must be a date YYYY-MM-DD, got \(text)")
            throw ExitCode(64)
        }
        return AgentClock(startingAt: day)
    }
}
