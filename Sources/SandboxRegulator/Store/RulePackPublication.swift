import SandboxPack

/// A verified, validated pack ready to be stored: its header, exact bytes and signature.
public struct RulePackPublication: Sendable {
    public var header: PackHeader
    public var content: [UInt8]
    public var signature: PackSignature
    /// Who published: `admin-token` over HTTP, `cli:USER` from `rulepack publish`.
    public var publishedBy: String

    public init(header: PackHeader, content: [UInt8], signature: PackSignature, publishedBy: String) {
        self.header = header; self.content = content; self.signature = signature; self.publishedBy = publishedBy
    }

    public var envelope: PackEnvelope { PackEnvelope(header: header, content: content, signature: signature) }
}

/// What storing a publication did.
public enum RulePackStoreOutcome: Sendable, Equatable {
    /// Stored as the newest publication.
    case published(PackEnvelope)
    /// The same pack id, serial and bytes as the current one: nothing written.
    case unchanged(PackEnvelope)
    /// The serial is not above the current one for this pack id (or reuses a serial with other bytes).
    case serialNotAbove(current: Int, currentVersion: String)
}
