import SandboxCore
import SandboxStorage

/// Commits fail for want of space: which folder's file system is full, why, and since when.
/// Raised by the pipeline (`DiskFullAlarm`), shown by `status`, the metrics and an alert line.
public struct SpaceShortage: Sendable, Equatable {
    /// The folder whose file system is full: the state folder for SQLite's "database or disk is
    /// full", the outbox when a report could not be written.
    public var folder: String
    /// The error as it happened (nil when the marker file had no room for it).
    public var reason: String?
    /// When commits began to fail (real Unix seconds).
    public var since: Int64

    public init(folder: String, reason: String?, since: Int64) {
        self.folder = folder
        self.reason = reason
        self.since = since
    }

    /// Whether the error means a full file system (SQLite's "database or disk is full", ENOSPC,
    /// EDQUOT).
    static func isShortage(_ error: Error) -> Bool {
        (error as? SQLiteError)?.isDiskFull == true || (error as? FileSystem.Failure)?.isDiskFull == true
    }

    /// The shortage an error means, or nil for any other error.
    init?(_ error: Error, databasePath: String, at since: Int64) {
        if let e = error as? SQLiteError, e.isDiskFull {
            self.init(folder: FileSystem.folder(of: databasePath), reason: e.description, since: since)
        } else if let e = error as? FileSystem.Failure, e.isDiskFull {
            self.init(folder: FileSystem.folder(of: e.path), reason: e.description, since: since)
        } else {
            return nil
        }
    }

    /// What `status` says, in the operator's terms: what is failing, that nothing is lost, what
    /// the agent does about it and what to do.
    public var problem: String {
        "no space left on the file system of \(folder) since \(UTCTime.rfc3339(since)): commits fail and are "
            + "rolled back, nothing accepted is lost; the running agent retries every \(AgentConfig.retryLaterSeconds) s "
            + "by itself — free space there"
    }
}
