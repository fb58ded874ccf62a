import Foundation
import Hummingbird
import SandboxCore
import SandboxWire

/// What an association does, or the city for it (docs/regulator.md "Staff"): keep its member
/// list and send 行业自律 prompts to its members through the platforms. The API
/// (`/v1/admin/associations/{association}/…`) and the console's associations page both act
/// through here: the same rule on whose association it is, the same checks, the same directives.
struct AssociationActions {
    let store: RegulatorStore
    /// Rung when prompts become directives, so waiting long polls answer at once.
    let bell: DirectiveBell

    /// `association` when the caller may act for it: the city, or the association's own staff.
    static func own(_ association: String, _ context: RegulatorRequestContext) throws -> String {
        let identity = try context.requireIdentity()
        if identity.role == .association, identity.staffMember?.association != association {
            throw APIError(.forbidden, "an association acts for itself only (its member list, its prompts)")
        }
        return association
    }

    /// Replaces (or extends) the member list; its size now. Every code must be a valid USCC.
    func setMembers(_ association: String, usccs: [String], replace: Bool) async throws -> Int {
        if let bad = usccs.first(where: { USCC.check($0) != .valid }) {
            throw APIError(.badRequest, "not an 18-character unified social credit code: \(bad)")
        }
        return try await store.write { try $0.setAssociationMembers(association, usccs: usccs, replace: replace, now: Timestamp.now()) }
    }

    struct PromptAnswer: Encodable { var association: String; var members: Int; var storefronts: Int }

    /// A 行业自律 prompt to the members (or `usccs` among them), through every platform holding a
    /// storefront of one: a `prompt` directive per storefront that names the association as its
    /// issuer (not an administrative organ) and expects no receipt.
    func prompt(_ association: String, title: String, text: String, usccs: [String]?, issuerName: String?,
                by identity: Identity) async throws -> PromptAnswer {
        guard (1...200).contains(title.count), (1...4000).contains(text.count) else {
            throw APIError(.badRequest, "a prompt has a title of 1…200 characters and a text of 1…4000")
        }
        let now = Timestamp.now()
        // The association's own account names it; the city sending for it should give the name.
        let member = identity.staffMember
        let own = member?.role == .association ? member?.displayName : nil
        let name = issuerName ?? own ?? association
        let payload = JSONValue.object([
            "prompt_id": .string("ASSOC-\(association)"), "title": .string(title), "text": .string(text),
            "issuer": .object(["kind": .string("association"), "id": .string(association), "name": .string(name)]),
            "basis": .string("行业自律（协会提示，非行政指导）"), "receipt_expected": .bool(false),
            "issued_at": .string(UTCTime.rfc3339(now)),
        ])
        let result = try await store.write { try $0.associationPrompt(association, only: usccs, payload: payload, issuedBy: identity.actor,
                                                                      now: now) }
        if !result.directives.isEmpty { bell.ring() }
        return PromptAnswer(association: association, members: result.members, storefronts: result.directives.count)
    }
}
