import ArgumentParser
import SandboxAgent

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the agent's health, what it holds, what waits, and the regulator link.",
        discussion: "Exit status for monitoring: 0 healthy, 1 degraded, 2 down (or the state cannot be read).")

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var clockOptions: ClockOptions

    @Flag(help: "One JSON object.")
    var json = false

    func run() throws {
        let config = try configOptions.load()
        let status: AgentStatus
        do {
            status = try AgentStatus.collect(config: config, clock: try clockOptions.clock())
        } catch {
            printError("sandbox-agent: cannot read the state in \(config.stateDir): \(error)")
            throw ExitCode(2)
        }
        print(json ? String(decoding: status.json, as: UTF8.self) : status.text)
        // For monitoring: 0 healthy, 1 degraded, 2 down.
        if status.health != .healthy { throw ExitCode(status.health.exitCode) }
    }
}
