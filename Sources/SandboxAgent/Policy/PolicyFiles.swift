/// The instruction files of one pass, written as their lines come rather than held to the end: a
/// first pass writes hundreds of MB of them (a sandbox notice per admission), which held in memory
/// were a third of its peak RSS. One file per kind, prompts split every `promptFileMaxLines`.
///
/// Each file is named by an outbox sequence taken in the pass's transaction when the file opens.
/// Kinds open in the order their first line comes and prompt files one after another (nothing else
/// is emitted among prompts), so the names are those the files had when they were all written at
/// the end of the pass. Every file is renamed into place before the transaction commits: a file
/// exists exactly when its decisions committed, and a retried pass overwrites the same names.
final class PolicyFiles {
    private let state: AgentState
    private let outbox: String
    /// Files past the page cache (`agent.outbox_writes`, `DirectOutput`).
    private let direct: Bool
    private let now: Int64
    private let promptFileMaxLines: Int
    private var open: [String: (file: OutboxFile, sequence: Int64)] = [:]
    /// Kinds in the order their first file opened, and every file's final name, in that order.
    private var order: [String] = []
    private var closed: [String: [String]] = [:]

    /// The files in `config`'s outbox, written as `agent.outbox_writes` says, prompts split as
    /// `policy.prompt_file_max_lines` says.
    init(state: AgentState, config: AgentConfig, now: Int64) {
        self.state = state; self.now = now
        outbox = config.outbox
        direct = config.outboxWrites == .direct
        promptFileMaxLines = config.policy?.promptFileMaxLines ?? 50_000
    }

    func emit(_ kind: String, _ line: [UInt8]) throws {
        if open[kind] == nil {
            if closed[kind] == nil { order.append(kind) }
            let sequence = try state.nextOutboxSequence()
            open[kind] = (try OutboxFile(folder: outbox, temporaryName: "\(kind)-\(sequence)", direct: direct), sequence)
        }
        let (file, sequence) = open[kind]!
        try file.append(line: line)
        if kind == "prompt" && file.lineCount >= promptFileMaxLines {
            try close(kind, file, sequence)
        }
    }

    private func close(_ kind: String, _ file: OutboxFile, _ sequence: Int64) throws {
        let name = OutboxName.make(kind: kind, unixTime: now, sequence: sequence)
        try file.commit(as: name)
        open[kind] = nil
        closed[kind, default: []].append(name)
    }

    /// Renames every file still open into place; returns all the pass's file names, kind by kind.
    func commit() throws -> [String] {
        for kind in order { if let (file, sequence) = open[kind] { try close(kind, file, sequence) } }
        return order.flatMap { closed[$0] ?? [] }
    }
}
