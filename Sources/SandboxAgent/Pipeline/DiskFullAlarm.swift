import Foundation
import Logging
import SandboxCore

/// Makes a full disk visible while the agent waits it out.
///
/// A commit that fails for want of space loses nothing (it is rolled back, the file stays
/// claimed and is retried), so the agent stays up — but nobody would know. After every pass the
/// pipeline hands this its commits (`CommitTally`): on a failure for space it logs what really
/// happens next, leaves the marker `state/disk-full` that `status` and the metrics read, and
/// writes one `disk_full` alert line to the outbox if the outbox has room (it may be on another
/// disk; if not, it tries again at the next pass). The first commit that succeeds clears it all.
///
/// The marker is an empty file plus, room permitting, the folder and the error: an empty file
/// needs no data block, so it can be made on a full disk; `status` reads its time as "since".
final class DiskFullAlarm {
    let config: AgentConfig
    let logger: Logger
    /// What happens next, for the log: the service retries by itself, `run --once` does not.
    var retryNote = "this run leaves it for the next (exit 75): run it again once there is room"
    /// The shortage this process raised (nil: none, or not yet seen by this process).
    private var raised: SpaceShortage?
    private var alertWritten = false

    init(config: AgentConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    static func markerPath(_ config: AgentConfig) -> String { config.stateDir + "/disk-full" }

    /// The shortage the marker records, nil when commits go through.
    static func current(_ config: AgentConfig) -> SpaceShortage? {
        var st = stat()
        guard stat(markerPath(config), &st) == 0 else { return nil }
        let lines = ((try? String(contentsOfFile: markerPath(config), encoding: .utf8)) ?? "")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return SpaceShortage(folder: lines.first.flatMap { $0.isEmpty ? nil : $0 } ?? config.stateDir,
                             reason: lines.count > 1 && !lines[1].isEmpty ? lines[1] : nil,
                             since: Int64(st.st_mtim.tv_sec))
    }

    /// After a pass: raised by a commit that failed for space, cleared by one that went through.
    func passEnded(_ commits: CommitTally) {
        if let error = commits.spaceFailure {
            raise(error)
        } else if commits.succeeded > 0 {
            clear()
        }
    }

    private func raise(_ error: Error) {
        if raised == nil {
            let now = AgentClock.realUnixTime()
            guard let shortage = SpaceShortage(error, databasePath: config.databasePath, at: now) else { return }
            // Raised before a restart: keep its time, and do not repeat its alert.
            if let earlier = DiskFullAlarm.current(config) {
                raised = earlier
                alertWritten = true
            } else {
                raised = shortage
                mark(shortage)
            }
            logger.error("no space left for the agent's commits: the work in hand was rolled back and waits (a file stays claimed), nothing accepted is lost; \(retryNote) — free space on the file system of \(shortage.folder)",
                         metadata: ["folder": "\(shortage.folder)", "error": "\(error)"])
        }
        if !alertWritten, let raised { alertWritten = writeAlert(raised) }
    }

    private func clear() {
        guard raised != nil || FileSystem.exists(DiskFullAlarm.markerPath(config)) else { return }
        try? FileSystem.remove(DiskFullAlarm.markerPath(config))
        logger.notice("space is back: commits go through again", metadata: ["folder": "\(raised?.folder ?? config.stateDir)"])
        raised = nil
        alertWritten = false
    }

    /// The marker: the file first (it needs no data block), then its text if there is room.
    private func mark(_ shortage: SpaceShortage) {
        let path = DiskFullAlarm.markerPath(config)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            logger.warning("cannot leave the disk-full marker: `status` and the metrics cannot show the full disk, only this log does",
                           metadata: ["path": "\(path)", "error": "\(String(cString: strerror(errno)))"])
            return
        }
        defer { close(fd) }
        let text = Array((shortage.folder + "\n" + (shortage.reason ?? "") + "\n").utf8)
        try? FileSystem.writeAll(fd, text[...], path: path)  // no room for the text: the empty file says enough
    }

    /// One `disk_full` line in an alert file of its own. It takes no sequence number: that would
    /// be a write to the state, which is what fails. Its number is 0, which no other outbox file
    /// has, so it leaves no gap in the sequence.
    private func writeAlert(_ shortage: SpaceShortage) -> Bool {
        let line = SyncAlerts.line(
            type: "disk_full", platformID: config.platformID, batch: nil, reason: shortage.problem,
            action: "free space on the file system of \(shortage.folder); the agent applies the waiting files by itself once commits go through, no restart needed") {
                $0.add("folder", shortage.folder)
                $0.add("since", UTCTime.rfc3339(shortage.since))
            }
        do {
            let file = try OutboxFile(folder: config.outbox, temporaryName: "alert-disk-full")
            try file.append(line: line)
            try file.commit(as: OutboxName.make(kind: "alert", unixTime: shortage.since, sequence: 0))
            return true
        } catch {
            logger.warning("cannot write the disk-full alert to the outbox; trying again at the next pass",
                           metadata: ["outbox": "\(config.outbox)", "error": "\(error)"])
            return false
        }
    }
}
