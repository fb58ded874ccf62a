import ArgumentParser
import Foundation
import Logging
import SandboxPack
import SandboxRegulator
import SandboxService

/// The reference regulator endpoint (监管端): serves the regulator API, imports the registry,
/// signs and publishes rule packs.
@main
struct SandboxRegulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-regulator",
        abstract: "The reference regulator endpoint of the credit sandbox (docs/regulator.md).",
        version: ProjectVersion.current,
        subcommands: [Serve.self, ImportRegistry.self, StaffCommand.self, ReportCommand.self, RulePackCommand.self, DrawCommand.self])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the regulator API (docs/api/openapi.yaml).")

    @Option(help: "HOST:PORT to listen on.") var listen = "127.0.0.1:8443"
    @Option(help: "The store: a SQLite file (created if missing), or postgres://USER@HOST[:PORT]/DATABASE[?password_file=PATH] (docs/store.md).") var db: String
    @Option(help: "Platforms file (TOML): tokens and HMAC secrets.") var platforms: String
    @Option(help: "Largest request body accepted, compressed, in bytes.")
    var maxBodyBytes = 64 << 20
    @Option(help: "Largest feed or receipts body once decompressed, in bytes (streamed, not held; default 8x --max-body-bytes).")
    var maxDecompressedBytes: Int?
    @Option(help: "Most bytes all feed and receipts requests together may hold (bodies and parsed items); beyond it 429 with Retry-After.")
    var maxInflightBytes = RegulatorLimits().maxInflightBytes
    @Option(help: "Threads that check, decompress and parse feed and receipts bodies (default: cores - 1, at least 1).")
    var intakeThreads = IntakeWorkers.defaultThreads
    @Option(help: "Trusted keys file: the Ed25519 public keys rule packs may be signed with. Without it, publishing is refused.")
    var rulepackKeys: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (debug shows the service group's steps).")
    var logLevel = "info"
    @Option(help: "Close a connection that sends nothing (no request, or a request head trickling in) for this many seconds.")
    var idleTimeoutSeconds = 30
    @Option(help: "Most open connections; more wait in the backlog. Lowered to fit the open-file limit (LimitNOFILE=).")
    var maxConnections = 1_000
    @Flag(help: "Mark the console's cookies Secure: set when browsers reach the regulator over TLS (a front end terminating it).")
    var consoleSecureCookies = false
    @Option(help: "Seconds between sums of the registration-exempt turnover across platforms (网络交易监督管理办法 art. 8).")
    var turnoverIntervalSeconds = 600
    @Option(help: "For simulations and tests only: the regulator's now is the instant in this file (one line, RFC 3339 or Unix seconds), re-read on every use, instead of the machine's clock. Announced at start; no request can set it.")
    var clockFile: String?
    @Option(help: "scrypt's cost for staff password hashes made from now on: N = 2^this (default 15: 32 MiB and tens of milliseconds a hash; up to 20). A hash keeps its own cost, so a change needs no migration. Below 15 is for tests and simulations only, and announced at start.")
    var staffPasswordLog2n = PasswordHash.Parameters.standard.log2N

    func run() async throws {
        guard let (host, port) = RegulatorServer.parseListen(listen) else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8443; got \(listen)")
        }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard (maxDecompressedBytes ?? 1) > 0 else { throw ValidationError("--max-decompressed-bytes must be positive") }
        guard maxInflightBytes >= 16 << 20 else {
            throw ValidationError("--max-inflight-bytes must be at least 16777216 (16 MiB): a batch needs its body and a working set of about 1.2 MiB")
        }
        guard (1...256).contains(intakeThreads) else { throw ValidationError("--intake-threads must be 1…256") }
        guard (1...3600).contains(idleTimeoutSeconds) else { throw ValidationError("--idle-timeout-seconds must be 1…3600") }
        guard (16...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 16…1000000") }
        guard (1...86_400).contains(turnoverIntervalSeconds) else { throw ValidationError("--turnover-interval-seconds must be 1…86400") }
        let accepted = PasswordHash.Parameters.acceptedLog2N
        guard accepted.contains(staffPasswordLog2n) else {
            throw ValidationError("--staff-password-log2n must be \(accepted.lowerBound)…\(accepted.upperBound) (the default, 15, is the standard)")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \(logLevel)")
        }
        var logger = Logger(label: "sandbox-regulator")
        logger.logLevel = level
        if let clockFile {
            let instant = try RegulatorClock.simulate(from: clockFile)
            // Loud on purpose: a production regulator must never run on a simulated clock.
            logger.critical("SIMULATED CLOCK: now is read from \(clockFile), not the machine's clock (now \(instant)); for simulations and tests only — every decision, step and receipt is stamped with it. Restart without --clock-file for real work.")
        }
        var standard = PasswordHash.Parameters.standard
        standard.log2N = staffPasswordLog2n
        let passwords = StaffPasswords(parameters: standard)
        if passwords.belowStandard {
            logger.critical("WEAK STAFF PASSWORD HASHES: accounts and passwords set from now on are hashed with scrypt N = 2^\(staffPasswordLog2n), below the standard 2^\(PasswordHash.Parameters.standard.log2N); for tests and simulations only. Restart without --staff-password-log2n for real work, and have those accounts' passwords set again.")
        }
        let directory = try PlatformsFile.load(path: platforms)
        // Read at start, so a bad keys file stops the server now rather than refusing every publication later.
        let keys = try rulepackKeys.map { try TrustedKeys.load(path: $0) }
        let store = try await RegulatorStore.open(db)
        let limits = RegulatorLimits(maxBodyBytes: maxBodyBytes, maxDecompressedBytes: maxDecompressedBytes,
                                     maxInflightBytes: maxInflightBytes)
        let router = RegulatorRouter(store: store, directory: directory, limits: limits, rulePackKeys: keys,
                                     workers: IntakeWorkers(threads: intakeThreads), consoleSecureCookies: consoleSecureCookies,
                                     passwords: passwords)
        try await RegulatorServer.serve(router: router, store: store, host: host, port: port, platformsFile: platforms,
                                        limits: ConnectionLimits(idleTimeoutSeconds: idleTimeoutSeconds, maxConnections: maxConnections),
                                        turnoverIntervalSeconds: turnoverIntervalSeconds, logger: logger)
    }
}

struct ImportRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-registry",
        abstract: "File a registry-* export (CSV or JSON Lines, optionally gzip); changed entries get new cursors.")

    @Option(help: "The store: a SQLite file (created if missing), or postgres://USER@HOST[:PORT]/DATABASE[?password_file=PATH] (docs/store.md).") var db: String
    @Argument(help: "The registry export.") var file: String

    func run() async throws {
        let store = try await RegulatorStore.open(db)
        let result = try await RegistryImport.run(path: file, store: store)
        for line in result.rejected { FileHandle.standardError.write(Data("\(file) \(line)\n".utf8)) }
        print("\(file): \(result.changed) new or changed, \(result.unchanged) unchanged, \(result.rejected.count) rejected")
    }
}
