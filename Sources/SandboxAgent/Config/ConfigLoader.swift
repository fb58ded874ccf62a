import Foundation
import Logging
import SandboxCore
import SandboxFormats
import SandboxService
import TOMLKit

/// Reads and validates agent.conf. Unknown keys and bad values are errors naming the line and
/// the key; nothing is defaulted silently except keys that are absent.
public enum ConfigLoader {
    /// Every key agent.conf may contain, with its meaning; the documentation in
    /// docs/configuration.md lists the same.
    static let knownKeys: [String: String] = [
        "agent.platform_id": "string, the platform's id at the regulator",
        "agent.inbox": "path", "agent.outbox": "path", "agent.state_dir": "path",
        "agent.work_dir": "path", "agent.archive_dir": "path", "agent.failed_dir": "path",
        "agent.csv_encoding": "auto | utf-8 | gb18030", "agent.outbox_writes": "direct | cached",
        "agent.rescan_interval_seconds": "integer 1…3600",
        "agent.settle_seconds": "integer 0…3600", "agent.stop_timeout_seconds": "integer 1…3600",
        "log.level": "trace | debug | info | notice | warning | error | critical",
        "log.format": "text | json",
        "regulator.url": "https://… (empty: offline)", "regulator.token_file": "path",
        "regulator.hmac_secret_file": "path", "regulator.ca_file": "path", "regulator.client_cert": "path",
        "regulator.client_key": "path", "regulator.pinned_public_key": "sha256//BASE64",
        "regulator.batch_max_records": "integer 1…100000", "regulator.batch_max_age_ms": "integer 10…600000",
        "metrics.textfile": "path of the Prometheus text file", "metrics.interval_seconds": "integer 5…3600",
        "retention.archive_days": "integer 1…3650", "retention.failed_days": "integer 1…3650",
        "retention.journal_days": "integer 30…3650",
        "policy.pack_id": "the rule pack id this platform accepts, e.g. chengdu",
        "policy.trusted_keys_file": "path of the Ed25519 public keys packs must be signed with",
        "policy.pack_file": "path of a signed rule pack (FILE.sig beside it)",
        "policy.check_seconds": "integer 60…86400", "policy.prompt_file_max_lines": "integer 1000…1000000",
        "policy.pass_block_merchants": "integer 1…1000000",
        "policy.pass_threads": "integer 1…3",
    ]

    public static func load(path: String) throws(ConfigError) -> AgentConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: nil,
                              problem: "cannot read the file (\(describe(error))); pass --config PATH")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = (absolute as NSString).deletingLastPathComponent
        return try parse(text: text, file: path, baseDirectory: folder)
    }

    public static func parse(text: String, file: String, baseDirectory: String) throws(ConfigError) -> AgentConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, key: nil,
                              problem: "is not valid TOML: \(e.description) (column \(e.source.begin.column))")
        } catch {
            throw ConfigError(file: file, line: nil, key: nil, problem: "is not valid TOML: \(error)")
        }
        let reader = Reader(root: root, locator: KeyLocator(text: text), file: file, base: baseDirectory)
        try reader.rejectUnknownKeys()

        let stateDir = try reader.path("agent.state_dir", default: "state")
        let inbox = try reader.path("agent.inbox", default: "inbox")
        return AgentConfig(
            platformID: try reader.platformID(),
            inbox: inbox,
            outbox: try reader.path("agent.outbox", default: "outbox"),
            stateDir: stateDir,
            workDir: try reader.path("agent.work_dir", default: inbox + "/.work"),
            archiveDir: try reader.path("agent.archive_dir", default: stateDir + "/archive"),
            failedDir: try reader.path("agent.failed_dir", default: stateDir + "/failed"),
            csvEncoding: try reader.choice("agent.csv_encoding", default: .auto),
            rescanIntervalSeconds: try reader.integer("agent.rescan_interval_seconds", in: 1...3600, default: 30),
            settleSeconds: try reader.integer("agent.settle_seconds", in: 0...3600, default: 5),
            logLevel: try reader.logLevel(),
            regulator: try reader.regulatorLink(),
            batchMaxRecords: try reader.integer("regulator.batch_max_records", in: 1...100_000, default: 5_000),
            batchMaxAgeMilliseconds: try reader.integer("regulator.batch_max_age_ms", in: 10...600_000, default: 2_000),
            metricsTextfile: reader.value("metrics.textfile") == nil ? nil : try reader.path("metrics.textfile", default: ""),
            metricsIntervalSeconds: try reader.integer("metrics.interval_seconds", in: 5...3600, default: 15),
            logFormat: try reader.logFormat(),
            retention: AgentConfig.RetentionConfig(
                archiveDays: try reader.integer("retention.archive_days", in: 1...3650, default: 30),
                failedDays: try reader.integer("retention.failed_days", in: 1...3650, default: 90),
                journalDays: try reader.integer("retention.journal_days", in: 30...3650, default: 400)),
            policy: try reader.policy(),
            stopTimeoutSeconds: try reader.integer("agent.stop_timeout_seconds", in: 1...3600, default: 90),
            outboxWrites: try reader.choice("agent.outbox_writes", default: .direct))
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? CocoaError, let u = e.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            return String(cString: strerror(u.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }

    /// Typed access to the parsed tables, with errors that carry the key's line.
    struct Reader {
        let root: TOMLTable
        let locator: KeyLocator
        let file: String
        let base: String

        func error(_ key: String, _ problem: String) -> ConfigError {
            ConfigError(file: file, line: locator.line(of: key), key: key, problem: problem)
        }

        func rejectUnknownKeys() throws(ConfigError) {
            for table in root.keys.sorted() {
                guard let sub = root[table]?.table else {
                    throw error(table, "must be a table like [\(table)]; keys go inside a table (see docs/configuration.md)")
                }
                for key in sub.keys.sorted() where ConfigLoader.knownKeys["\(table).\(key)"] == nil {
                    let known = ConfigLoader.knownKeys.keys.filter { $0.hasPrefix(table + ".") }.sorted()
                    let hint = known.isEmpty
                        ? "unknown table [\(table)]; known tables: [agent], [log], [regulator], [metrics], [retention]"
                        : "unknown key; known keys in [\(table)]: " + known.map { String($0.dropFirst(table.count + 1)) }.joined(separator: ", ")
                    throw error("\(table).\(key)", hint)
                }
            }
        }

        func value(_ key: String) -> TOMLValueConvertible? {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            return root[parts[0]]?.table?[parts[1]]
        }

        func string(_ key: String) throws(ConfigError) -> String? {
            guard let v = value(key) else { return nil }
            guard let s = v.string else { throw error(key, "must be a string in quotes, got \(v.type)") }
            return s
        }

        func path(_ key: String, default fallback: String) throws(ConfigError) -> String {
            let raw = try string(key) ?? fallback
            guard !raw.isEmpty else { throw error(key, "must not be empty") }
            guard !raw.contains("\0") else { throw error(key, "must not contain NUL") }
            let joined = raw.hasPrefix("/") ? raw : base + "/" + raw
            return (joined as NSString).standardizingPath
        }

        func platformID() throws(ConfigError) -> String {
            guard let id = try string("agent.platform_id") else {
                throw error("agent.platform_id", "is required: the platform's id at the regulator, e.g. platform_id = \"demo-platform\"")
            }
            guard PlatformID.isValid(id) else {
                throw error("agent.platform_id", "must be 1…64 characters of A-Z a-z 0-9 - _, got \"\(id)\"")
            }
            return id
        }

        func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(ConfigError) -> Int {
            guard let v = value(key) else { return fallback }
            guard let n = v.int else { throw error(key, "must be an integer \(range.lowerBound)…\(range.upperBound), got \(v.type)") }
            guard range.contains(n) else {
                throw error(key, "must be \(range.lowerBound)…\(range.upperBound), got \(n)")
            }
            return n
        }

        func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, default fallback: Choice) throws(ConfigError) -> Choice
            where Choice.RawValue == String {
            guard let s = try string(key) else { return fallback }
            guard let e = Choice(rawValue: s.lowercased()) else {
                throw error(key, "must be one of " + Choice.allCases.map(\.rawValue).joined(separator: ", ") + ", got \"\(s)\"")
            }
            return e
        }

        /// `[policy]`: absent means no sandbox policy. pack_id and trusted_keys_file go together:
        /// a pack is never used unverified.
        func policy() throws(ConfigError) -> AgentConfig.PolicyConfig? {
            guard root["policy"]?.table != nil else { return nil }
            guard let id = try string("policy.pack_id") else {
                throw error("policy.pack_id", "is required in [policy]: the rule pack id this platform accepts, e.g. pack_id = \"chengdu\"")
            }
            guard (1...32).contains(id.count), id.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }) else {
                throw error("policy.pack_id", "must be 1…32 characters of a-z 0-9 -, got \"\(id)\"")
            }
            guard try string("policy.trusted_keys_file") != nil else {
                throw error("policy.trusted_keys_file", "is required in [policy]: the Ed25519 public keys rule packs must be signed with")
            }
            let keys = try path("policy.trusted_keys_file", default: "")
            guard FileManager.default.isReadableFile(atPath: keys) else {
                throw error("policy.trusted_keys_file", "cannot read \(keys); check that it exists and the agent's user may read it")
            }
            // Read only when no good pack is stored: a missing file is logged then, not refused here.
            let packFile = try string("policy.pack_file") != nil ? try path("policy.pack_file", default: "") : nil
            return AgentConfig.PolicyConfig(
                packID: id, trustedKeysFile: keys, packFile: packFile,
                checkSeconds: try integer("policy.check_seconds", in: 60...86_400, default: 300),
                promptFileMaxLines: try integer("policy.prompt_file_max_lines", in: 1_000...1_000_000, default: 50_000),
                passBlockMerchants: try integer("policy.pass_block_merchants", in: 1...1_000_000, default: 16_384),
                passThreads: try integer("policy.pass_threads", in: 1...3, default: 3))
        }

        /// Secrets are read here, so a missing, unreadable or unprotected file is an error at start,
        /// never later; their content appears in no message. `SecretFile` refuses a file others
        /// may read or its group may write (docs/security.md).
        func regulatorLink() throws(ConfigError) -> RegulatorLinkConfig? {
            guard let url = try string("regulator.url"), !url.isEmpty else { return nil }
            // Parsed as the connection parses it, so the host check is the one that decides where
            // the token goes (BaseURL: plain http only to an exact loopback host).
            do {
                _ = try BaseURL(parsing: url)
            } catch {
                throw self.error("regulator.url", "is not usable: \(error.why)")
            }
            func optionalPath(_ key: String) throws(ConfigError) -> String? {
                guard try string(key) != nil else { return nil }
                return try path(key, default: "")
            }
            func secret(_ key: String) throws(ConfigError) -> String {
                guard try string(key) != nil else {
                    throw error(key, "is required when regulator.url is set: a file holding the secret, readable by the agent only")
                }
                let file = try path(key, default: "")
                let bytes: [UInt8]
                do { bytes = try SecretFile.read(file) } catch { throw self.error(key, "\(error)") }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw error(key, "\(file) is not UTF-8 text; a token or secret is one line of text")
                }
                let value = text.trimmingSpaces().trimmingCharacters(in: .newlines)
                guard !value.isEmpty else { throw error(key, "\(file) is empty") }
                return value
            }
            let cert = try optionalPath("regulator.client_cert"), key = try optionalPath("regulator.client_key")
            if (cert == nil) != (key == nil) {
                // Name the one that is missing.
                throw error(cert == nil ? "regulator.client_cert" : "regulator.client_key",
                            "is missing: client_cert and client_key go together (mutual TLS needs both)")
            }
            // curl reads the private key at the first connection; its protection is checked now.
            if let key {
                do { try SecretFile.check(key) } catch { throw self.error("regulator.client_key", "\(error)") }
            }
            var pin: String?
            if let p = try string("regulator.pinned_public_key") {
                guard p.split(separator: ";").allSatisfy({ $0.hasPrefix("sha256//") && $0.count > 8 }) else {
                    throw error("regulator.pinned_public_key", "must be sha256//BASE64 (several joined by ;), got \"\(p)\"")
                }
                pin = p
            }
            return RegulatorLinkConfig(
                endpoint: RegulatorEndpoint(baseURL: url, caFile: try optionalPath("regulator.ca_file"),
                                            clientCertificate: cert, clientKey: key, pinnedPublicKey: pin),
                credentials: LinkCredentials(token: try secret("regulator.token_file"),
                                             hmacSecret: try secret("regulator.hmac_secret_file")),
                batchMaxRecords: try integer("regulator.batch_max_records", in: 1...100_000, default: 5_000),
                batchMaxAgeMilliseconds: try integer("regulator.batch_max_age_ms", in: 10...600_000, default: 2_000))
        }

        func logFormat() throws(ConfigError) -> AgentConfig.LogFormat {
            guard let s = try string("log.format") else { return .text }
            guard let f = AgentConfig.LogFormat(rawValue: s.lowercased()) else {
                throw error("log.format", "must be text or json, got \"\(s)\"")
            }
            return f
        }

        func logLevel() throws(ConfigError) -> Logger.Level {
            guard let s = try string("log.level") else { return .info }
            guard let l = Logger.Level(rawValue: s.lowercased()) else {
                throw error("log.level", "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ") + ", got \"\(s)\"")
            }
            return l
        }
    }
}
