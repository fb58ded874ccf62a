import Glibc
import Logging

/// The folders agent.conf names, checked before the agent starts: a missing one is created with
/// its documented mode (docs/operations.md), one that exists but cannot be written is a
/// configuration error (exit 78) rather than a failure in the middle of the first file.
///
/// The agent must not depend on a folder being there: a fresh clone, a new volume or a wiped
/// `state/` are all normal starts.
public enum AgentFolders {
    /// One folder the agent uses, and the mode it gets when the agent creates it.
    public struct Folder: Sendable, Equatable {
        /// The agent.conf key that names it (or the folder it derives from).
        public var key: String
        public var path: String
        /// 2770 for the folders of docs/operations.md's layout (setgid: files inherit the group
        /// shared with the platform's export job), 3770 for the inbox (sticky as well: the export
        /// job may rename only its own files there, never the agent's work folder), 0750 for the
        /// agent's own folders inside.
        public var mode: mode_t
    }

    /// What stands in the way of a folder, or nothing.
    public enum Standing: Sendable, Equatable {
        case ready
        /// Does not exist yet; `run` creates it.
        case missing
        /// Exists but is not a folder, or the agent may not write it: an operator must act.
        case unusable(String)
    }

    /// The folders in the order they are created (parents before the folders inside them).
    public static func folders(of config: AgentConfig) -> [Folder] {
        [Folder(key: "agent.inbox", path: config.inbox, mode: 0o3770),
         Folder(key: "agent.outbox", path: config.outbox, mode: 0o2770),
         Folder(key: "agent.state_dir", path: config.stateDir, mode: 0o2770),
         Folder(key: "agent.work_dir", path: config.workDir, mode: 0o750),
         Folder(key: "agent.archive_dir", path: config.archiveDir, mode: 0o750),
         Folder(key: "agent.failed_dir", path: config.failedDir, mode: 0o750)]
    }

    public static func standing(of path: String) -> Standing {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { return .missing }
            return .unusable("cannot be examined: \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            return .unusable("exists but is not a folder; move it away or name another path")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            return .unusable("exists but the agent cannot write it (\(reason)); give the agent's user write access "
                             + "(docs/operations.md: owner sandbox-agent, mode 2770 or 0750) or name another path")
        }
        return .ready
    }

    /// Folders that work but are open to tampering: an inbox that others than the agent may write
    /// without the sticky bit lets them rename the work folder inside it and put their own in its
    /// place (docs/security.md). Said by `check-config` and logged by `run`, not refused.
    public static func warnings(_ config: AgentConfig) -> [String] {
        var st = stat()
        guard stat(config.inbox, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return [] }
        let othersWrite = st.st_mode & (S_IWGRP | S_IWOTH) != 0
        guard othersWrite, st.st_mode & S_ISVTX == 0, config.workDir.hasPrefix(config.inbox + "/") else { return [] }
        return ["\(config.inbox) is writable by its group but has no sticky bit: the export job could rename the work folder "
                + "\(config.workDir) and put its own in its place; run `chmod +t \(config.inbox)` (mode 3770, docs/operations.md)"]
    }

    /// Every folder that cannot be used, as configuration errors naming the key.
    public static func problems(_ config: AgentConfig, configFile: String = "agent.conf") -> [ConfigError] {
        folders(of: config).compactMap { f in
            guard case .unusable(let why) = standing(of: f.path) else { return nil }
            return ConfigError(file: configFile, line: nil, key: f.key, problem: "\(f.path) \(why)")
        }
    }

    /// Creates the missing folders with their modes (saying so once, in the log) and refuses
    /// unusable ones. Returns the folders it created.
    @discardableResult
    public static func prepare(_ config: AgentConfig, configFile: String = "agent.conf", logger: Logger?) throws -> [Folder] {
        if let first = problems(config, configFile: configFile).first { throw first }
        var created: [Folder] = []
        for f in folders(of: config) where standing(of: f.path) == .missing {
            try FileSystem.createDirectories(f.path)
            // chmod, not mkdir's mode: the umask would strip the group bits, and Linux ignores
            // the setgid bit in mkdir's mode.
            guard chmod(f.path, f.mode) == 0 else {
                throw FileSystem.Failure(operation: "set the mode of", path: f.path, code: errno)
            }
            created.append(f)
            logger?.notice("created a missing folder", metadata: [
                "folder": "\(f.path)", "key": "\(f.key)", "mode": "\(String(f.mode, radix: 8))"])
        }
        // A folder made just now may still be unusable (a read-only mount above it).
        if let first = problems(config, configFile: configFile).first { throw first }
        return created
    }
}
