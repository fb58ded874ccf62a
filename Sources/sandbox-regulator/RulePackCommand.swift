import ArgumentParser
import Foundation
import SandboxPack

/// `sandbox-regulator rulepack …`: keys, offline signing, verification and publishing of rule
/// packs (docs/policy.md §2.6, §14.3). Signing happens on the staff's machine; the private key
/// never goes to the server.
struct RulePackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rulepack",
        abstract: "Make signing keys, sign, verify and publish rule packs.",
        subcommands: [RulePackKeygen.self, RulePackSign.self, RulePackVerify.self, RulePackPublish.self])

    /// The file's bytes, or a message saying which file could not be read.
    static func read(_ path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("\(path): cannot read the \(what); check the path and its permissions")
        }
        return Array(data)
    }

    /// The signature in `path` (default: PACK.sig).
    static func signature(_ path: String) throws -> PackSignature {
        let text = String(decoding: try read(path, what: "signature file"), as: UTF8.self)
        do { return try PackSignature.parse(text) } catch { throw fail("\(path): \(error)") }
    }

    /// Prints `message` on stderr and ends with exit status 1.
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("sandbox-regulator: \(message)\n".utf8))
        return ExitCode.failure
    }
}
