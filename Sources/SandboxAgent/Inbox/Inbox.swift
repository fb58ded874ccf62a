import Glibc
import SandboxCore

/// A file the agent has taken from the inbox: renamed into the work folder, so the platform can
/// neither change nor re-drop it under our feet, and a restart finds it again.
public struct ClaimedFile: Sendable {
    /// Where it is now, in the work folder.
    public var path: String
    /// The name the platform gave it.
    public var originalName: String
    /// When it was claimed (Unix nanoseconds); orders claims and names the reports about it.
    public var claimedAt: Int64
    public var size: Int64
}

/// The inbox folder: which files are ready, and claiming them in arrival order.
final class Inbox {
    let folder: String
    let workFolder: String
    let settleSeconds: Int64
    /// Names the kernel told us were closed after writing or renamed in.
    private var announced: Set<String> = []
    private var lastClaim: Int64 = 0

    init(folder: String, workFolder: String, settleSeconds: Int) {
        self.folder = folder
        self.workFolder = workFolder
        self.settleSeconds = Int64(settleSeconds)
    }

    func announce(_ names: [String]) { announced.formUnion(names) }

    /// Files ready to claim, oldest arrival first. A file is ready when it was announced, or when
    /// nothing has modified it for `settleSeconds`.
    ///
    /// Exports of one kind are applied in the order the platform dropped them (the time they
    /// appeared in the inbox, which survives a restart): a file of a kind waiting out its settle
    /// time holds back every newer file of that kind, even one announced by a rename. Without
    /// this, after a restart a newer export renamed in overtook the older one found by the
    /// start-up scan, and the state ended on the older values.
    func readyFiles(now: Int64) throws(FileSystem.Failure) -> [FileSystem.Entry] {
        let entries = try FileSystem.list(folder).filter { InboxFileName.isCandidate($0.name) }
        let present = Set(entries.map(\.name))
        announced.formIntersection(present)
        var waitingKinds = Set<String>()
        var ready: [FileSystem.Entry] = []
        for entry in entries.sorted(by: { ($0.changedNanoseconds, $0.name) < ($1.changedNanoseconds, $1.name) }) {
            let kind = ExportKind(fileName: entry.name)?.rawValue
            let settled = announced.contains(entry.name) || now - entry.modified >= settleSeconds
            if let kind, waitingKinds.contains(kind) { continue }
            if settled {
                ready.append(entry)
            } else if let kind {
                waitingKinds.insert(kind)
            }
        }
        return ready
    }

    /// Entries that are not files the agent could take (folders, pipes, sockets, unusable names).
    func oddities() throws(FileSystem.Failure) -> [InboxOddity] {
        try FileSystem.listAll(folder).compactMap(InboxOddity.of)
    }

    /// Renames the file into the work folder as `CLAIMTIME-NAME`.
    func claim(_ entry: FileSystem.Entry, now: Int64) throws(FileSystem.Failure) -> ClaimedFile {
        // Strictly increasing, even when the clock stands still or steps back.
        let claimedAt = max(now, lastClaim + 1)
        lastClaim = claimedAt
        let workName = Inbox.workName(claimedAt: claimedAt, originalName: entry.name)
        try FileSystem.rename(folder + "/" + entry.name, to: workFolder + "/" + workName)
        announced.remove(entry.name)
        return ClaimedFile(path: workFolder + "/" + workName, originalName: entry.name,
                           claimedAt: claimedAt, size: entry.size)
    }

    /// Files claimed before a crash or restart, in claim order: they are processed first.
    func unfinishedClaims() throws(FileSystem.Failure) -> [ClaimedFile] {
        try FileSystem.list(workFolder).compactMap { entry -> ClaimedFile? in
            guard let (claimedAt, original) = Inbox.parseWorkName(entry.name) else { return nil }
            lastClaim = max(lastClaim, claimedAt)
            return ClaimedFile(path: workFolder + "/" + entry.name, originalName: original,
                               claimedAt: claimedAt, size: entry.size)
        }.sorted { $0.claimedAt < $1.claimedAt }
    }

    /// `CLAIMTIME-NAME`; a very long name is shortened (`sanitized`) so the work name still fits
    /// the file system's 255-byte limit.
    static func workName(claimedAt: Int64, originalName: String) -> String {
        let digits = String(claimedAt)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + "-"
            + InboxFileName.sanitized(originalName)
    }

    static func parseWorkName(_ name: String) -> (Int64, String)? {
        let parts = name.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 20, let t = Int64(parts[0]) else { return nil }
        return (t, String(parts[1]))
    }
}
