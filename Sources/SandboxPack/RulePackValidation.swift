/// The one place where a pack is judged acceptable before it is signed or published.
///
/// Today it checks the bytes (size, UTF-8), the TOML syntax and the `[pack]` table. When the
/// full compiler (SandboxCore/Policy, `RulePackCompiler`) lands it is called here, and the
/// regulator's `rulepack sign`, `rulepack publish` and POST /v1/admin/rulepack refuse every pack
/// the agent would refuse, without any caller changing.
public enum RulePackValidation {
    /// Largest pack accepted (docs/policy.md §2.3).
    public static let maxBytes = 1 << 20

    /// The pack's header, or the first reason it is refused; `file` names the pack in messages.
    public static func validate(_ bytes: [UInt8], file: String = "rule pack") throws(PackError) -> PackHeader {
        guard bytes.count <= maxBytes else {
            throw .pack(file: file, problem: "is \(bytes.count) bytes; a rule pack is at most \(maxBytes) bytes (1 MiB)")
        }
        return try PackHeader.parse(bytes, file: file)
    }
}
