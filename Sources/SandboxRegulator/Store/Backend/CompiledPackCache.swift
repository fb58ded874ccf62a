import NIOConcurrencyHelpers
import SandboxCore
import SandboxPolicy

/// The newest published rule pack, compiled, by its SHA-256: compiling takes milliseconds, and
/// the roster view and draws would otherwise compile the same bytes on every call. Shared by
/// every session of a store, so it is behind a lock.
final class CompiledPackCache: Sendable {
    private let entry = NIOLockedValueBox<(sha256: String, pack: RulePack)?>(nil)

    func pack(sha256: String) -> RulePack? {
        entry.withLockedValue { $0?.sha256 == sha256 ? $0?.pack : nil }
    }

    func keep(_ pack: RulePack, sha256: String) {
        entry.withLockedValue { $0 = (sha256, pack) }
    }
}
