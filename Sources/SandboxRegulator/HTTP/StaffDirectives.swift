import Foundation
import Hummingbird
import SandboxCore
import SandboxWire

/// Directives staff issue by hand. POST /v1/admin/directives and the console's directives page
/// both go through here: the same checks on each directive, one transaction for all of them,
/// each marked with who issued it (the console's follow page lists those), and the platforms'
/// waiting long polls woken. The console's order becomes its plan here too, so the preview and
/// the sending read the storefronts the same way.
struct StaffDirectives {
    let store: RegulatorStore
    let bell: DirectiveBell
    /// The platforms of the platforms file as it is now (it may be reloaded while serving).
    let platformIDs: @Sendable () -> Set<String>

    /// What the API refuses in a directive, whoever sends it.
    func check(_ new: NewDirective) throws {
        guard platformIDs().contains(new.platformID) else {
            throw APIError(.badRequest, "platform_id \(new.platformID) is not in the platforms file")
        }
        guard !new.type.isEmpty, case .object = new.payload else {
            throw APIError(.badRequest, "`type` must be non-empty and `payload` an object")
        }
    }

    /// Checks every directive, then stores them all or none, and wakes the polls.
    func issue(_ list: [NewDirective], by identity: Identity) async throws -> [Directive] {
        for d in list { try check(d) }
        guard !list.isEmpty else { return [] }
        let sent = try await store.write { try $0.issueDirectives(list, issuedBy: identity.actor, now: Timestamp.now()) }
        bell.ring()
        return sent
    }

    /// The directives an order becomes now: to each platform holding a storefront of each of its
    /// enterprises, in the name of the caller's organ.
    func plan(_ order: DirectiveOrder, by identity: Identity) async throws -> DirectivePlan {
        let issuer = await IssuingOrgan.name(for: identity, store: store)
        let holding = try await store.read { s in
            let found = try s.platformsHolding(usccs: order.usccs)
            return order.usccs.map { (uscc: $0, platforms: found[$0] ?? []) }
        }
        return DirectivePlan(type: order.type, payload: order.payload(issuer: issuer, officer: identity.actor),
                             platformsHolding: holding)
    }
}
