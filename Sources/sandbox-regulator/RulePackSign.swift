import ArgumentParser
import Foundation
import SandboxPack
import SandboxService

/// `rulepack sign PACK --key KEY`: validates PACK and writes PACK.sig over its exact bytes.
struct RulePackSign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Validate a rule pack and write its detached signature PACK.sig.")

    @Argument(help: "The rule pack (TOML).") var pack: String
    @Option(help: "The private key written by `rulepack keygen`.") var key: String
    @Option(help: "Where to write the signature (default: PACK.sig).") var out: String?

    func run() throws {
        let bytes = try RulePackCommand.read(pack, what: "rule pack")
        // Validate first: a signature on a pack every agent would refuse only moves the error later.
        let header: PackHeader
        do { header = try RulePackValidation.validate(bytes, file: pack) } catch { throw RulePackCommand.fail("\(error)") }
        // The private key is the regulator's most valuable secret: refused when others may read it
        // (keygen writes it 0600), like every other secret file (docs/security.md).
        do { try SecretFile.check(key) } catch { throw RulePackCommand.fail("--key: \(error)") }
        let signer: PackSigner
        do { signer = try PackSigner.load(path: key) } catch { throw RulePackCommand.fail("\(error)") }
        let signature = try signer.sign(bytes)
        let path = out ?? pack + ".sig"
        do {
            // Written beside and renamed: a half-written signature file is never left behind.
            try Data(signature.render().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RulePackCommand.fail("\(path): cannot write the signature: \(error.localizedDescription)")
        }
        print("\(pack): \(header.packVersion) serial \(header.serial), effective \(header.effectiveFrom), "
              + "sha256 \(PackEnvelope.digest(bytes)), signed with key \(signer.keyID.hex) → \(path)")
    }
}
