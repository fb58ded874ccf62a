/// A 行业自律 prompt as an association sent it (`association_prompts`): what it said, in whose
/// name, who sent it, and how far it reached.
public struct AssociationPromptRecord: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var text: String
    public var issuerName: String
    public var issuedBy: String
    /// Members with a storefront, and the storefronts (one `prompt` directive each).
    public var members: Int
    public var storefronts: Int
    public var issuedAt: String
}
