import ArgumentParser
import SandboxAgent

struct DeadLettersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List feed batches the regulator refused for good; --requeue sends them again.",
        discussion: """
            A batch becomes a dead letter when the regulator answers 4xx other than 401, 403, 408 \
            and 429 (it would refuse the same bytes again). Each one also wrote an alert-* line in \
            the outbox. Fix the cause (usually with the regulator's operators), then --requeue: the \
            batches keep their id and bytes, so one the regulator took after all is a harmless replay.
            """)

    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Put every dead letter back in line for delivery (the running agent picks them up).")
    var requeue = false

    func run() throws {
        let config = try configOptions.load()
        let state = try AgentState(path: config.databasePath)
        let dead = try state.deadBatches()
        for b in dead {
            print("\(b.id)  \(b.endpoint.path)  \(b.items) item(s)  \(b.attempts) attempt(s)  \(b.lastError ?? "")")
        }
        if requeue {
            let n = try state.requeueDeadBatches()
            print("requeued \(n) batch(es)")
        } else if dead.isEmpty {
            print("no dead letters")
        }
    }
}
