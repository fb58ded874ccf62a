import SandboxCore
import SandboxPolicy

/// The one place where a pack is judged acceptable before it is signed or published: the full
/// compiler (docs/policy.md §2.4), so the regulator's `rulepack sign`, `rulepack publish` and
/// POST /v1/admin/rulepack refuse every pack the agent would refuse, for the same reasons.
public enum RulePackValidation {
    /// Largest pack accepted (docs/policy.md §2.3).
    public static let maxBytes = PackTOML.maxBytes

    /// The pack's header, or every reason it is refused; `file` names the pack in messages.
    public static func validate(_ bytes: [UInt8], file: String = "rule pack") throws(PackTrustError) -> PackHeader {
        PackHeader(try compile(bytes, file: file).header)
    }

    /// The compiled pack, or every reason it is refused.
    public static func compile(_ bytes: [UInt8], file: String = "rule pack") throws(PackTrustError) -> RulePack {
        do {
            return try PackTOML.compile(bytes, fileName: file)
        } catch {
            throw .invalid(error)
        }
    }
}
