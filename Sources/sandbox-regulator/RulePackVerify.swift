import ArgumentParser
import Foundation
import SandboxPack

/// `rulepack verify PACK [--signature PACK.sig] --keys FILE`: what an agent would check.
struct RulePackVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a rule pack's signature against a trusted keys file and validate the pack.")

    @Argument(help: "The rule pack (TOML).") var pack: String
    @Option(help: "The detached signature (default: PACK.sig).") var signature: String?
    @Option(help: "Trusted keys file (KEY.pub lines).") var keys: String

    func run() throws {
        let bytes = try RulePackCommand.read(pack, what: "rule pack")
        let sig = try RulePackCommand.signature(signature ?? pack + ".sig")
        let trusted: TrustedKeys
        do { trusted = try TrustedKeys.load(path: keys) } catch { throw RulePackCommand.fail("\(error)") }
        let keyID: PackKeyID
        do { keyID = try trusted.verify(bytes: bytes, signature: sig) } catch { throw RulePackCommand.fail("\(pack): \(error)") }
        let header: PackHeader
        do { header = try RulePackValidation.validate(bytes, file: pack) } catch { throw RulePackCommand.fail("\(error)") }
        print("\(pack): \(header.packVersion) serial \(header.serial), effective \(header.effectiveFrom): "
              + "signature verifies with trusted key \(keyID.hex)")
    }
}
