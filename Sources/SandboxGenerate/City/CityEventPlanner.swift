import SandboxCore

/// A storefront's events over the two years around the first day (the year before, which the
/// first export carries as history, and the simulated year), from (seed, storefront) alone:
/// each type happens in a 30-day slot with the probability its yearly rate gives, on a day of
/// that slot, only while the storefront is open.
struct CityEventPlanner: Sendable {
    let seed: UInt64
    let start: Int
    let mix: CityMix

    private static let salt: UInt64 = 0x6576_656E_7473   // "events"
    /// 25 slots of 30 days from 360 days before the first day: the year before and the simulated year.
    static let slots = 25
    static let slotDays = 30
    var firstDay: Int { start - 360 }

    /// The events of `storefront` that occurred in `days` (half-open), oldest first.
    func events(of storefront: Int, opened: Int, closes: Int?, in days: Range<Int>) -> [EventPlan] {
        var rng = SplitMix64(seed: seed, salt: Self.salt, index: storefront)
        let kinds: [(EventType, Double)] = [(.complaint, mix.complaintsPerYear), (.dispute, mix.disputesPerYear),
                                            (.violation, mix.violationsPerYear), (.penalty, mix.penaltiesPerYear),
                                            (.recall, mix.recallsPerYear)]
        var out: [EventPlan] = []
        var number = 0
        for slot in 0..<Self.slots {
            for (type, perYear) in kinds {
                // Every draw is made whether used or not, so each slot's events stay put.
                let happens = rng.chance(perYear * Double(Self.slotDays) / 365)
                let day = firstDay + slot * Self.slotDays + rng.below(Self.slotDays)
                let minute = 8 * 60 + rng.below(14 * 60)
                let severityRoll = rng.below(100)
                let description = rng.below(4)
                guard happens else { continue }
                number += 1
                guard days.contains(day), day >= opened, closes.map({ day < $0 }) ?? true else { continue }
                out.append(EventPlan(storefront: storefront, number: number, type: type,
                                     severity: severity(type, severityRoll), day: day, minute: minute, description: description))
            }
        }
        return out.sorted { ($0.day, $0.minute) < ($1.day, $1.minute) }
    }

    private func severity(_ type: EventType, _ roll: Int) -> EventSeverity {
        switch type {
        case .complaint: return roll < 70 ? .minor : .general
        case .dispute, .recall: return .general
        case .violation:
            let serious = Int(mix.seriousViolationShare * 100)
            return roll < serious ? .serious : roll < 60 ? .minor : .general
        case .penalty: return roll < 80 ? .general : .serious
        }
    }
}
