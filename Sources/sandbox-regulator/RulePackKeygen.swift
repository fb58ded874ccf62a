import ArgumentParser
import Foundation
import SandboxPack

/// `rulepack keygen --out KEY`: a new Ed25519 key pair.
struct RulePackKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a signing key: KEY (private, mode 0600; keep it offline) and KEY.pub (the trusted-keys line).")

    @Option(help: "Where to write the private key; KEY.pub is written beside it.") var out: String
    @Option(help: "Comment at the end of the KEY.pub line (who, when).") var comment: String?

    func run() throws {
        let signer: PackSigner
        do { signer = try PackSigner.keygen(out: out, comment: comment) } catch { throw RulePackCommand.fail("\(error)") }
        print("key \(signer.keyID.hex): private key in \(out) (mode 0600), trusted-keys line in \(out).pub")
        print("add the line of \(out).pub to the agents' trusted_keys_file and to the regulator's --rulepack-keys file")
    }
}
