import SandboxCore

/// The outbox reports one inbox file produces, opened on first use and committed with the file.
///
/// Their sequence numbers are taken inside the file's transaction: a retried file gets the same
/// numbers and the same names (time = claim time), so a crash after the rename but before the
/// commit is repaired by overwriting, never by a second copy.
final class ReportSet {
    let folder: String
    let claimedAt: Int64
    /// Reports past the page cache (`agent.outbox_writes`): a first ingest's verification report
    /// is tens of MB.
    let direct: Bool
    private var files: [(kind: String, file: OutboxFile)] = []

    /// Reports in `config`'s outbox, written as `agent.outbox_writes` says.
    init(config: AgentConfig, claimedAt: Int64) {
        folder = config.outbox
        self.claimedAt = claimedAt
        direct = config.outboxWrites == .direct
    }

    var rejects: OutboxFile { get throws { try file("rejects") } }
    var verification: OutboxFile { get throws { try file("verification") } }

    private func file(_ kind: String) throws -> OutboxFile {
        if let f = files.first(where: { $0.kind == kind }) { return f.file }
        let f = try OutboxFile(folder: folder, temporaryName: "\(kind)-\(claimedAt)", direct: direct)
        files.append((kind, f))
        return f
    }

    /// Names and renames every report into place; call inside the file's transaction.
    func commit(state: AgentState, unixTime: Int64) throws {
        for (kind, f) in files {
            let sequence = try state.nextOutboxSequence()
            try f.commit(as: OutboxName.make(kind: kind, unixTime: unixTime, sequence: sequence))
        }
        files.removeAll()
    }

    func discard() {
        for (_, f) in files { f.discard() }
        files.removeAll()
    }
}
