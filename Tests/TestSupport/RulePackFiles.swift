import Foundation

/// The rule packs shipped in the repository's `rulepacks/`, read by the suites of the pack's
/// edge (SandboxPackTests) and of the policy engine (SandboxPolicyTests) alike.
public enum RulePackFiles {
    /// The repository's Chengdu pack.
    public static func chengdu() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../rulepacks/chengdu-2026.1.toml").standardized
        return Array(try Data(contentsOf: url))
    }
}
