import Foundation
import Hummingbird
import SandboxCore
import SandboxWire

/// A staff decision on one enterprise's sandbox standing (docs/policy.md §5.3): admit or remove,
/// with the reason every platform is told. POST /v1/admin/roster/{uscc} and the console's roster
/// form both go through here: the same checks, the same removal hold, the same directives — one
/// `sandbox` directive per platform holding a storefront of the enterprise — and the console's
/// preview shows exactly those before they are sent.
struct RosterOverrides {
    let store: RegulatorStore
    let bell: DirectiveBell

    /// What would be sent: to each platform, the directive's payload.
    struct Preview {
        var request: RosterOverrideRequest
        var payload: JSONValue
        var platforms: [String]
    }

    /// The request checked, with its removal hold settled (the pack's when none is asked), and
    /// the platforms it will reach; 404 when no platform holds the enterprise.
    func preview(_ asked: RosterOverrideRequest, uscc: String) async throws -> Preview {
        guard asked.action == "admit" || asked.action == "remove" else {
            throw APIError(.badRequest, "`action` must be \"admit\" or \"remove\", got \"\(asked.action)\"")
        }
        guard !asked.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(.badRequest, "`reason` must say why (it goes to every platform with the directive)")
        }
        if let days = asked.holdDays, !(0...3650).contains(days) {
            throw APIError(.badRequest, "`hold_days` must be 0…3650, got \(days)")
        }
        var settled = asked
        if asked.action == "remove", asked.holdDays == nil {
            // The agents fall back on the pack's hold too; the regulator records the same number.
            guard let pack = try? await store.read({ try $0.publishedPack() }) else {
                throw APIError(.badRequest, "`hold_days` is required for a removal while no rule pack is published "
                               + "(it would default to [roster.regulator] removal_hold_days)")
            }
            settled.holdDays = pack.roster.regulatorRemovalHoldDays
        }
        let platforms = try await store.read { try $0.platformsHolding(uscc: uscc) }
        guard !platforms.isEmpty else { throw Self.noStorefront(uscc) }
        let payload = RosterOverride.directivePayload(action: settled.action, reason: settled.reason, basis: settled.basis,
                                                      holdDays: settled.holdDays)
        return Preview(request: settled, payload: payload, platforms: platforms)
    }

    /// Records the override and sends its directives, in one transaction, and wakes the polls.
    func record(_ asked: RosterOverrideRequest, uscc: String) async throws -> (RosterOverride, [Directive]) {
        let r = try await preview(asked, uscc: uscc).request
        guard let recorded = try await store.write({ s in try s.overrideRoster(
            uscc: uscc, action: r.action, reason: r.reason, basis: r.basis, holdDays: r.holdDays, now: Timestamp.now()) }) else {
            throw Self.noStorefront(uscc)
        }
        bell.ring()
        return recorded
    }

    static func noStorefront(_ uscc: String) -> APIError {
        APIError(.notFound, "no platform holds a storefront under USCC \(uscc); check the code, or wait for the platforms' feeds")
    }
}
