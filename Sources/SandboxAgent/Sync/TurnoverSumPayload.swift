import Foundation

/// A `turnover` directive's payload (docs/sync.md; issue 13 correction 9), read strictly. A sum
/// that is not one — `over` not a boolean, the total or the shop count missing or not a whole
/// number — must not withdraw a finding the storefront has on the last good sum, so it is
/// refused (logged and audited) and the previous sum stands, rather than read as "not over".
struct TurnoverSumPayload: Equatable {
    let summedFen: Int64
    let shops: Int
    let over: Bool

    /// What is wrong with a payload, for the log and the audit.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    init(_ payload: [String: Any]) throws {
        guard let over = payload["over"] as? Bool else {
            throw Malformed(description: "`over` is not true or false")
        }
        guard let total = Self.whole(payload["summed_turnover_fen"]), total >= 0 else {
            throw Malformed(description: "`summed_turnover_fen` is not a whole number of fen")
        }
        guard let shops = Self.whole(payload["shops"]), shops >= 0, shops <= Int64(Int32.max) else {
            throw Malformed(description: "`shops` is not a count")
        }
        self.over = over
        self.summedFen = total
        self.shops = Int(shops)
    }

    /// A JSON number without a fraction (JSONSerialization gives NSNumber; a string is refused).
    private static func whole(_ value: Any?) -> Int64? {
        guard let number = value as? NSNumber, !(value is String) else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 9.0e15 else { return nil }
        return number.int64Value
    }
}
