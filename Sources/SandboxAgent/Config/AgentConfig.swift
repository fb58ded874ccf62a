import Logging
import SandboxFormats

/// The agent's configuration, read from agent.conf (TOML). Paths are absolute after loading:
/// relative ones resolve against the folder of the config file, so the agent behaves the same
/// whatever its working directory (systemd starts it in /).
public struct AgentConfig: Sendable {
    /// The platform's id at the regulator; stamped on everything the agent sends.
    public var platformID: String
    /// Where the platform drops exports.
    public var inbox: String
    /// Where the agent writes reports and instructions for the platform.
    public var outbox: String
    /// SQLite state and the agent's own folders.
    public var stateDir: String
    /// Claimed files being processed. Must be on the inbox's file system (claiming is a rename).
    public var workDir: String
    /// Processed files, kept for audit.
    public var archiveDir: String
    /// Files that could not be read at all, beside a report of why.
    public var failedDir: String
    /// How CSV text is encoded; `auto` tells UTF-8 from GB18030 by the bytes.
    public var csvEncoding: TextEncoding
    /// Seconds between full rescans of the inbox, the safety net under inotify.
    public var rescanIntervalSeconds: Int
    /// A file seen only by a rescan (no close/rename event) is taken once unmodified this long.
    public var settleSeconds: Int
    /// How long the service waits before retrying a file left for retry (disk full, database
    /// busy). Fixed, not a setting; here because the loop that waits and the `status` text that
    /// promises the retry sit in different folders.
    public static let retryLaterSeconds: Int64 = 30
    public var logLevel: Logger.Level
    /// The regulator link; nil when offline.
    public var regulator: RegulatorLinkConfig?
    /// Feed batches (sent, or written to the outbox offline) hold at most this many records…
    public var batchMaxRecords: Int = 5_000
    /// …and a partial batch waits at most this long for more.
    public var batchMaxAgeMilliseconds: Int = 2_000
    /// Where the service writes its Prometheus text file (node_exporter's textfile collector
    /// convention); nil: none.
    public var metricsTextfile: String? = nil
    public var metricsIntervalSeconds: Int = 15
    public var logFormat: LogFormat = .text
    public var retention = RetentionConfig()
    /// `[policy]`: the sandbox rule pack; nil: no policy (ingest, verification and sync only).
    public var policy: PolicyConfig? = nil
    /// How long a graceful stop (SIGTERM, or a reload) may take before the work in hand is cut off
    /// (uncommitted, so redone at the next start). Keep it below the unit's `TimeoutStopSec=`.
    public var stopTimeoutSeconds: Int = 90
    /// How the large outbox files (instruction files, verification reports) are written.
    public var outboxWrites: OutboxWrites = .direct

    /// `agent.outbox_writes`: `direct` writes instruction files and verification reports straight
    /// to the disk (`O_DIRECT`, `DirectOutput`), `cached` through the page cache. Direct is the
    /// default: nothing reads those files while they are written, and a first pass's 560 MiB cost
    /// seconds of CPU copied into the cache. Cached is for an outbox on a network file system,
    /// where each direct write waits for the server while cached ones go out together.
    public enum OutboxWrites: String, Sendable, CaseIterable {
        case direct, cached
    }

    /// `[policy]` (docs/policy.md §14.1).
    public struct PolicyConfig: Sendable {
        /// The pack id this platform accepts (`chengdu`).
        public var packID: String
        /// Ed25519 public keys a pack must be signed with.
        public var trustedKeysFile: String
        /// A signed pack (`FILE.sig` beside it) used when no good pack is stored yet.
        public var packFile: String?
        /// How often to ask the regulator for a newer pack.
        public var checkSeconds: Int = 300
        /// Lines per prompt-* file.
        public var promptFileMaxLines: Int = 50_000
        /// Merchants per part of a pass's outcome: each part is written and freed before the engine
        /// decides the next, so a first pass's memory does not grow with the merchants (issue 16).
        public var passBlockMerchants: Int = 16_384
        /// Threads a pass uses: 3 runs the engine and the rendering of its lines and items on a
        /// thread each while the pipeline's thread writes the rows; 2 runs the engine and the
        /// rendering on one thread of their own (a first pass on two cores, issue 16); 1 does all
        /// of it on the pipeline's thread.
        public var passThreads: Int = 3
        public init(packID: String, trustedKeysFile: String, packFile: String? = nil, checkSeconds: Int = 300,
                    promptFileMaxLines: Int = 50_000, passBlockMerchants: Int = 16_384, passThreads: Int = 3) {
            self.packID = packID; self.trustedKeysFile = trustedKeysFile; self.packFile = packFile
            self.checkSeconds = checkSeconds; self.promptFileMaxLines = promptFileMaxLines
            self.passBlockMerchants = passBlockMerchants; self.passThreads = passThreads
        }
    }

    /// `[retention]`: how long processed files and old rows are kept (days).
    public struct RetentionConfig: Sendable {
        public var archiveDays = 30
        public var failedDays = 90
        public var journalDays = 400
        public init(archiveDays: Int = 30, failedDays: Int = 90, journalDays: Int = 400) {
            self.archiveDays = archiveDays; self.failedDays = failedDays; self.journalDays = journalDays
        }
    }

    /// `[log] format`: key=value text lines, or one JSON object per line.
    public enum LogFormat: String, Sendable { case text, json }

    /// Where the state database lives.
    public var databasePath: String { stateDir + "/agent.sqlite" }
}
