import ArgumentParser
import SandboxAgent

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the agent holds and what waits in the inbox.")

    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "One JSON object.")
    var json = false

    func run() throws {
        let config = try configOptions.load()
        do {
            let status = try AgentStatus.collect(config: config)
            print(json ? String(decoding: status.json, as: UTF8.self) : status.text)
        } catch {
            printError("sandbox-agent: cannot read the state in \(config.stateDir): \(error)")
            throw ExitCode(2)
        }
    }
}
