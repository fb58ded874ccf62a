import Crypto
import Foundation
import SandboxCore
import SandboxPack
import SandboxWire

/// What an order becomes: one directive per platform holding a storefront of each enterprise —
/// addressed by USCC, as a staff roster override is — and the enterprises no platform holds
/// (nothing is sent to them). The preview shows exactly this; `digest` lets the confirmation
/// check that it still sends exactly what was shown.
struct DirectivePlan: Sendable, Equatable {
    var directives: [NewDirective]
    var withoutStorefront: [String]

    init(type: String, payload: JSONValue, platformsHolding: [(uscc: String, platforms: [String])]) {
        directives = platformsHolding.flatMap { e in
            e.platforms.map { NewDirective(platformID: $0, type: type, uscc: e.uscc, payload: payload) }
        }
        withoutStorefront = platformsHolding.filter(\.platforms.isEmpty).map(\.uscc)
    }

    /// SHA-256 (hex) of every directive's platform, type, USCC and payload, in order.
    var digest: String {
        let text = directives.map { "\($0.platformID)\u{0}\($0.type)\u{0}\($0.uscc ?? "")\u{0}\($0.payload.jsonText)" }
            .joined(separator: "\n")
        return Hex.encode(Array(SHA256.hash(data: Data(text.utf8))))
    }
}
