import SandboxCore
import SandboxPolicy

/// The `[pack]` table of a rule pack: who it is and where it stands (docs/policy.md §2.2, §2.5).
/// Enough to sign, publish and order packs; `RulePackValidation` gets it from the full compiler.
public struct PackHeader: Sendable, Equatable {
    /// The only file format this code reads.
    public static let supportedFormat = 1
    public static let timeZone = "Asia/Shanghai"

    public var format: Int
    public var id: String
    public var version: String
    public var serial: Int
    public var effectiveFrom: CivilDate

    public init(format: Int = PackHeader.supportedFormat, id: String, version: String, serial: Int, effectiveFrom: CivilDate) {
        self.format = format; self.id = id; self.version = version; self.serial = serial; self.effectiveFrom = effectiveFrom
    }

    /// `"{id}-{version}"`, the name stamped on everything the agent sends (`chengdu-2026.1`).
    public var packVersion: String { "\(id)-\(version)" }

    init(_ identity: PackIdentity) {
        self.init(format: identity.format, id: identity.id, version: identity.version, serial: identity.serial,
                  effectiveFrom: identity.effectiveFrom)
    }
}
