import ArgumentParser
import Foundation
import SandboxPack
import SandboxRegulator

/// `rulepack publish PACK [--signature PACK.sig] --keys FILE --db DB`: the checks of
/// POST /v1/admin/rulepack, straight into the database (it may run while `serve` runs: SQLite WAL).
struct RulePackPublish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a signed rule pack into the regulator database (as POST /v1/admin/rulepack).")

    @Argument(help: "The rule pack (TOML).") var pack: String
    @Option(help: "The detached signature (default: PACK.sig).") var signature: String?
    @Option(help: "Trusted keys file: the same file as `serve --rulepack-keys`.") var keys: String
    @Option(help: "The regulator's store: a SQLite file, or postgres://USER@HOST/DATABASE.") var db: String

    func run() async throws {
        let bytes = try RulePackCommand.read(pack, what: "rule pack")
        let sig = try RulePackCommand.signature(signature ?? pack + ".sig")
        let trusted: TrustedKeys
        do { trusted = try TrustedKeys.load(path: keys) } catch { throw RulePackCommand.fail("\(error)") }
        let store = try await RegulatorStore.open(db)
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        let publisher = RulePackPublisher(keys: trusted, store: store)
        let result: RulePackPublisher.Result
        do { result = try await publisher.publish(content: bytes, signature: sig, by: "cli:\(user)", file: pack) } catch {
            throw RulePackCommand.fail(error.message)
        }
        let e = result.envelope
        print(result.created
              ? "\(pack): published \(e.packID)-\(e.version) serial \(e.serial) (key \(e.keyID), sha256 \(e.sha256))"
              : "\(pack): \(e.packID)-\(e.version) serial \(e.serial) is already the published pack; nothing changed")
    }
}
