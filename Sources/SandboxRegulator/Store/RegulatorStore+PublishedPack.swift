import SandboxCore
import SandboxPolicy
import SandboxPack
import SandboxStorage

extension StoreSession {
    /// The newest publication of the `rulepacks` table, compiled; nil when none was published.
    /// Throws the compiler's reasons when a stored pack no longer compiles (a newer regulator
    /// with a stricter compiler): publish a pack this version accepts.
    public func publishedPack() throws -> RulePack? {
        let s = try database.prepare("SELECT sha256, content FROM rulepacks ORDER BY id DESC LIMIT 1")
        defer { s.reset() }
        guard try s.step() else { return nil }
        let digest = s.string(0) ?? ""
        if let cached = packCache.pack(sha256: digest) { return cached }
        let pack = try RulePackValidation.compile(s.blob(1), file: "published rule pack \(digest.prefix(12))")
        packCache.keep(pack, sha256: digest)
        return pack
    }
}
