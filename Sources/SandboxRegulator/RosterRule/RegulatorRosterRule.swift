import SandboxCore
import SandboxPolicy

/// The regulator's decision on one enterprise's sandbox membership, across every platform
/// (../shared/DOMAIN.md §4): the agents propose, the regulator decides, and one platform's
/// "member" never outweighs another platform's class C. Pure: the store gathers the facts.
public enum RegulatorRosterRule {
    public struct Facts: Sendable {
        /// Each platform's current decision for each storefront of the enterprise.
        public var platforms: [RosterDecision]
        public var uscc: String
        /// Cases open or overdue on any platform.
        public var openCases: Int
        /// From the regulator's registry; nil when it does not know the enterprise.
        public var abnormalList: Bool?
        public var seriousViolationList: Bool?
        public var admittedClasses: Set<String>
        /// Division prefixes of a local registration; empty: anywhere.
        public var localDivisions: [String]
        /// A staff removal still holds.
        public var removalInForce: Bool
        /// The newest staff decision is an admission (it waives the criteria).
        public var admittedByStaff: Bool
    }

    /// Why the enterprise is not a member; empty when it is one.
    public static func reasons(_ f: Facts) -> [String] {
        if f.removalInForce { return ["a regulator removal is in force"] }
        if f.admittedByStaff { return [] }
        var out: [String] = []
        if f.platforms.isEmpty { out.append("no platform has decided on it") }
        let admitted = InspectionSubject.classOrder.filter(f.admittedClasses.contains).joined(separator: "/")
        for d in f.platforms {
            let shop = "\(d.platformID) storefront \(d.platformMerchantID)"
            if let c = d.creditClass {
                if !f.admittedClasses.contains(c) { out.append("\(shop) is rated class \(c); the sandbox admits \(admitted)") }
            } else {
                out.append("\(shop) has no class yet")
            }
            if !d.member { out.append("\(shop): the platform's agent does not propose it") }
        }
        if f.openCases > 0 { out.append("\(f.openCases) case(s) open on the platforms") }
        // The agents' ADM-08 reads the same rule (merchant.registered_locally).
        if let notLocal = LocalRegistration(divisions: f.localDivisions).reason(uscc: f.uscc) { out.append(notLocal) }
        if f.abnormalList == true { out.append("on the abnormal operations list (经营异常名录)") }
        if f.seriousViolationList == true { out.append("on the serious violation list (严重违法失信名单)") }
        return out
    }
}
